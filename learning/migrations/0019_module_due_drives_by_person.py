import django.db.models.deletion
from django.db import migrations, models

import people.validators

# learning_moduledue (0016) again, with the enrolment's course, status and enrolment time, so a
# figure needs no second join to learning_enrolment (issue 23). On PostgreSQL the progress row is
# looked up per module by (enrolment, module) through the unique index, in a LATERAL subquery
# fenced with OFFSET 0: as a plain LEFT JOIN the planner, which takes the modules of the people
# asked about for about one row per enrolment (the parent-path join hides that a course has
# dozens of modules), probed progress by enrolment alone and threw away 25 rows of 26, or hashed
# all 3 million progress rows. The filters on the module's dates run before the lookup, so the
# readers of the whole view (the reminders) look up only the modules whose date matches.
# SQLite has no LATERAL; it keeps the plain join. Both give the same rows: at most one progress
# row per (enrolment, module) (progress_unique_enrolment_module).
COLUMNS = """
SELECT e.id AS enrolment_id,
       m.id AS module_id,
       e.user_id AS user_id,
       e.course_id AS course_id,
       e.status AS status,
       e.enrolled_at AS enrolled_at,
       COALESCE(d.due_date, e.due_date) AS due_date,
       p.completed_at AS completed_at
FROM learning_enrolment e
JOIN wagtailcore_page c ON c.id = e.course_id AND c.live
JOIN wagtailcore_page m ON substr(m.path, 1, length(m.path) - 4) = c.path AND m.live
JOIN content_modulepage mp ON mp.page_ptr_id = m.id
LEFT JOIN learning_moduledeadline d ON d.enrolment_id = e.id AND d.module_id = m.id
"""
PROGRESS = {
    "postgresql": """
LEFT JOIN LATERAL (
    SELECT p.completed_at FROM learning_moduleprogress p
    WHERE p.enrolment_id = e.id AND p.module_id = m.id
    OFFSET 0
) p ON true
""",
    "sqlite": """
LEFT JOIN learning_moduleprogress p ON p.enrolment_id = e.id AND p.module_id = m.id
""",
}

# 0016's view, for going back.
OLD = """
CREATE VIEW learning_moduledue AS
SELECT e.id AS enrolment_id,
       m.id AS module_id,
       e.user_id AS user_id,
       COALESCE(d.due_date, e.due_date) AS due_date,
       p.completed_at AS completed_at
FROM learning_enrolment e
JOIN wagtailcore_page c ON c.id = e.course_id AND c.live
JOIN wagtailcore_page m ON substr(m.path, 1, length(m.path) - 4) = c.path AND m.live
JOIN content_modulepage mp ON mp.page_ptr_id = m.id
LEFT JOIN learning_moduledeadline d ON d.enrolment_id = e.id AND d.module_id = m.id
LEFT JOIN learning_moduleprogress p ON p.enrolment_id = e.id AND p.module_id = m.id
"""


def view_sql(vendor: str) -> str:
    return "CREATE VIEW learning_moduledue AS " + COLUMNS + PROGRESS.get(vendor, PROGRESS["sqlite"])


def forwards(apps, schema_editor):
    schema_editor.execute("DROP VIEW learning_moduledue")
    schema_editor.execute(view_sql(schema_editor.connection.vendor))


def backwards(apps, schema_editor):
    schema_editor.execute("DROP VIEW learning_moduledue")
    schema_editor.execute(OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0018_swedish_names"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        # The model is unmanaged: these only tell Django about the view's new columns.
        migrations.AddField(
            model_name="moduledue",
            name="course",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="content.coursepage",
                default=None,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="moduledue",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "Pågår"),
                    ("completed", "Avslutad"),
                    ("withdrawn", "Avbruten"),
                ],
                max_length=16,
                validators=[people.validators.validate_no_identity_number],
                default=None,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="moduledue",
            name="enrolled_at",
            field=models.DateTimeField(default=None),
            preserve_default=False,
        ),
    ]
