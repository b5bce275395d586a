"""Demokurser för Introsteg.

Ren data utan beroenden: två kurser med moduler, innehållsblock och kunskapsfrågor.
Alla fallbeskrivningar (vinjetter) är påhittade och innehåller inga uppgifter om
verkliga personer.
"""

from __future__ import annotations

CURRICULUM: list[dict] = [
    # ------------------------------------------------------------------
    # Kurs 1: Yrkesintroduktion för socialsekreterare – barn och unga
    # ------------------------------------------------------------------
    {
        "title": "Yrkesintroduktion för socialsekreterare – barn och unga",
        "slug": "yrkesintroduktion-barn-och-unga",
        "summary": (
            "En självstudiekurs för dig som är ny socialsekreterare inom den sociala barn- "
            "och ungdomsvården. Kursen ger en grund i lagstiftning, utredningsarbete enligt "
            "BBIC, samtal med barn, dokumentation, riskbedömning, placering och samverkan. "
            "Varje modul avslutas med en reflektionsfråga att diskutera med din mentor."
        ),
        "audience": "new_hires",
        "kind": "self_paced",
        "estimated_hours": 16,
        "learning_outcomes": [
            "Redogöra för hur socialtjänstlagen och LVU samspelar i arbetet med barn och unga.",
            "Beskriva förhandsbedömning, barnavårdsutredning och uppföljning enligt BBIC.",
            (
                "Planera och genomföra samtal med barn utifrån barnets ålder, mognad och "
                "rätt till delaktighet."
            ),
            (
                "Dokumentera sakligt och rättssäkert med respekt för sekretess, partsinsyn "
                "och skyddade personuppgifter."
            ),
            (
                "Känna igen tecken på hedersrelaterat våld och förtryck och veta när en "
                "strukturerad riskbedömning behövs."
            ),
            (
                "Tillämpa arbetsplatsens rutiner för säkerhet, placering och samverkan med "
                "skola, hälso- och sjukvård och polis."
            ),
        ],
        "modules": [
            # ----------------------------------------------------------
            # Modul 1
            # ----------------------------------------------------------
            {
                "title": "Socialtjänstlagen och LVU – ramarna för arbetet",
                "slug": "socialtjanstlagen-och-lvu",
                "intro": (
                    "Här får du en översikt över de lagar som styr den sociala barn- och "
                    "ungdomsvården och hur frivilliga insatser och tvångsvård förhåller sig "
                    "till varandra."
                ),
                "estimated_minutes": 45,
                "body": [
                    ("heading", "En ramlag med barnets bästa i centrum"),
                    (
                        "paragraph",
                        "<p>Socialtjänstlagen är en ramlag. Den anger mål och ramar för "
                        "socialtjänsten men lämnar utrymme för kommunerna att utforma "
                        "arbetet efter lokala förhållanden. Den 1 juli 2025 ersattes den "
                        "tidigare socialtjänstlagen (2001:453) av en ny socialtjänstlag "
                        "(2025:400). Den nya lagen betonar förebyggande arbete, "
                        "lättillgängliga insatser och en kunskapsbaserad socialtjänst. "
                        "Grundtanken är densamma som tidigare: insatser ska i första hand "
                        "bygga på frivillighet och ges i samarbete med den enskilde. Äldre "
                        "rutiner, domar och utbildningsmaterial hänvisar ofta till "
                        "paragrafer i den gamla lagen, så kontrollera alltid vad som gäller "
                        "i dag innan du hänvisar till en bestämmelse.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Barnets bästa ska särskilt beaktas vid alla åtgärder som rör "
                        "barn, och vid beslut om vård- och behandlingsinsatser ska det som "
                        "är bäst för barnet vara avgörande. Sedan den 1 januari 2020 gäller "
                        "FN:s konvention om barnets rättigheter, barnkonventionen, som "
                        "svensk lag. Konventionen ersätter inte socialtjänstlagen, men den "
                        "ska vägas in när lagen tolkas och tillämpas. I praktiken betyder "
                        "det att du i varje ärende behöver kunna visa hur barnets perspektiv "
                        "och barnets egna åsikter har tagits tillvara, och hur de har "
                        "påverkat bedömningen och beslutet.</p>",
                    ),
                    ("heading", "LVU – när frivilligheten inte räcker"),
                    (
                        "paragraph",
                        "<p>Lagen med särskilda bestämmelser om vård av unga (1990:52), "
                        "LVU, kompletterar socialtjänstlagen. Vård enligt LVU kan beslutas "
                        "när behövlig vård inte kan ges med samtycke från vårdnadshavarna "
                        "och, om den unge har fyllt 15 år, från den unge själv. Lagen har "
                        "två grunder för vård:</p>"
                        "<ul>"
                        "<li><b>2 § – miljöfallen:</b> fysisk eller psykisk misshandel, "
                        "otillbörligt utnyttjande, brister i omsorgen eller något annat "
                        "förhållande i hemmet medför en påtaglig risk för att den unges "
                        "hälsa eller utveckling skadas.</li>"
                        "<li><b>3 § – beteendefallen:</b> den unge utsätter sin hälsa eller "
                        "utveckling för en påtaglig risk att skadas genom missbruk av "
                        "beroendeframkallande medel, brottslig verksamhet eller något annat "
                        "socialt nedbrytande beteende.</li>"
                        "</ul>"
                        "<p>Det är förvaltningsrätten som beslutar om vård, efter ansökan "
                        "från socialnämnden.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Om det är sannolikt att den unge behöver vård enligt LVU och "
                        "rättens beslut inte kan avvaktas, kan socialnämnden besluta om "
                        "omedelbart omhändertagande enligt 6 §. Beslutet ska underställas "
                        "förvaltningsrätten inom en vecka, och om det fastställs ska "
                        "nämnden som huvudregel ansöka om vård inom fyra veckor. Ett "
                        "omedelbart omhändertagande hör till de mest ingripande beslut "
                        "socialtjänsten kan fatta. Som ny handläggare fattar du inte sådana "
                        "beslut själv, men du behöver känna till förutsättningarna, kunna "
                        "ta fram ett tydligt beslutsunderlag och veta vem i organisationen "
                        "som har beslutanderätt, även på kvällar och helger.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: Oro men inget samtycke",
                            "text": (
                                "<p>En fjortonårig pojke har under hösten varit frånvarande "
                                "från skolan större delen av tiden. Skolan har gjort en "
                                "orosanmälan och uppger att pojken har setts med äldre "
                                "ungdomar som misstänks sälja narkotika. Vårdnadshavarna "
                                "kommer på ett första möte men avböjer sedan fortsatt "
                                "kontakt. Pojken själv säger att han inte behöver någon "
                                "hjälp.</p>"
                                "<p>Vilka frivilliga insatser skulle kunna erbjudas, och "
                                "hur kan familjen motiveras att ta emot dem? Vilken "
                                "information saknas, och vad skulle krävas för att en "
                                "ansökan om vård enligt 3 § LVU ska bli aktuell?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Diskutera med din mentor: Hur arbetar er verksamhet för att motivera "
                        "familjer till frivilliga insatser, och i vilka situationer har ni "
                        "övervägt LVU? Vad var avgörande för bedömningen?",
                    ),
                ],
                "pass_mark": 70,
                "questions": [
                    {
                        "kind": "single",
                        "text": (
                            "Vilken paragraf i LVU gäller när den unges eget beteende, "
                            "till exempel missbruk eller brottslighet, innebär en påtaglig "
                            "risk för hälsa eller utveckling?"
                        ),
                        "choices": [
                            ("3 § LVU", True),
                            ("2 § LVU", False),
                            ("6 § LVU", False),
                        ],
                        "explanation": (
                            "3 § LVU avser den unges eget beteende. 2 § avser brister i "
                            "hemmiljön, och 6 § reglerar omedelbart omhändertagande."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka påståenden om barnkonventionen stämmer?",
                        "choices": [
                            ("Den gäller som svensk lag sedan den 1 januari 2020.", True),
                            (
                                "Den ska vägas in när socialtjänstlagen tolkas och tillämpas.",
                                True,
                            ),
                            ("Den ersätter socialtjänstlagen i ärenden som rör barn.", False),
                            ("Den gäller bara barn som är svenska medborgare.", False),
                        ],
                        "explanation": (
                            "Barnkonventionen är svensk lag sedan 2020 och gäller alla barn "
                            "i Sverige. Den ersätter inte annan lagstiftning men ska vägas "
                            "in när till exempel socialtjänstlagen och LVU tillämpas."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Vem beslutar om vård enligt LVU, bortsett från omedelbart "
                            "omhändertagande?"
                        ),
                        "choices": [
                            ("Förvaltningsrätten, efter ansökan från socialnämnden", True),
                            ("Den handläggande socialsekreteraren", False),
                            ("Socialnämndens ordförande", False),
                            ("Inspektionen för vård och omsorg (IVO)", False),
                        ],
                        "explanation": (
                            "Socialnämnden ansöker om vård, men det är förvaltningsrätten "
                            "som beslutar. Det ger en rättslig prövning av ett mycket "
                            "ingripande beslut."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": (
                            "Vems samtycke krävs för att en sextonåring ska kunna få vård "
                            "på frivillig grund?"
                        ),
                        "choices": [
                            ("Vårdnadshavarnas", True),
                            ("Den unges eget", True),
                            ("Rektorns på den unges skola", False),
                        ],
                        "explanation": (
                            "När den unge har fyllt 15 år krävs både vårdnadshavarnas och "
                            "den unges samtycke. Om något av samtyckena saknas och "
                            "förutsättningarna i övrigt är uppfyllda kan LVU bli aktuellt."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 2
            # ----------------------------------------------------------
            {
                "title": "Barnavårdsutredning enligt BBIC",
                "slug": "barnavardsutredning-enligt-bbic",
                "intro": (
                    "Modulen går igenom vägen från orosanmälan till avslutad utredning och "
                    "hur BBIC hjälper dig att utreda strukturerat och med barnet i centrum."
                ),
                "estimated_minutes": 60,
                "body": [
                    ("heading", "Från orosanmälan till beslut om utredning"),
                    (
                        "paragraph",
                        "<p>När en orosanmälan kommer in ska socialtjänsten genast bedöma "
                        "om barnet är i behov av omedelbart skydd. Den omedelbara "
                        "skyddsbedömningen görs i regel samma dag som anmälan kommer in och "
                        "ska dokumenteras. Därefter görs en förhandsbedömning, där du tar "
                        "ställning till om en utredning ska inledas. Beslutet ska som "
                        "huvudregel fattas inom fjorton dagar från att anmälan kom in. "
                        "Under förhandsbedömningen har du i regel bara kontakt med barnet, "
                        "vårdnadshavarna och den som har gjort anmälan. Syftet är att "
                        "avgöra om det finns skäl att utreda, inte att göra utredningen i "
                        "förväg.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>När en utredning har inletts ska den bedrivas skyndsamt och vara "
                        "slutförd inom fyra månader. Om det finns särskilda skäl får "
                        "nämnden besluta att förlänga utredningstiden. Utredningen ska inte "
                        "göras mer omfattande än vad som är motiverat av omständigheterna, "
                        "men den ska ge ett tillräckligt underlag för beslut. "
                        "Vårdnadshavarna ska informeras om att en utredning har inletts och "
                        "bör i de flesta fall vara delaktiga i den. Du får ta de kontakter "
                        "som behövs för att bedöma barnets behov, men som huvudregel bör "
                        "familjen få veta vilka referenter du kontaktar och varför.</p>",
                    ),
                    ("heading", "BBIC – en struktur för att förstå barnets behov"),
                    (
                        "paragraph",
                        "<p>BBIC, Barns behov i centrum, är Socialstyrelsens system för "
                        "handläggning och dokumentation i den sociala barn- och "
                        "ungdomsvården. Det ger en gemensam struktur för utredning, "
                        "planering och uppföljning och används i de flesta kommuner. "
                        "Kärnan är BBIC-triangeln, som beskriver tre områden som "
                        "tillsammans ger en helhetsbild av barnets situation:</p>"
                        "<ul>"
                        "<li><b>Barnets utveckling</b> – hälsa, utbildning, känslor och "
                        "beteende, identitet, relationer och förmåga att klara sig "
                        "själv.</li>"
                        "<li><b>Föräldrarnas förmåga</b> – grundläggande omsorg, säkerhet, "
                        "känslomässig tillgänglighet, stimulans, vägledning och "
                        "gränssättning samt stabilitet.</li>"
                        "<li><b>Familj och miljö</b> – familjens bakgrund, nätverk, boende, "
                        "arbete, ekonomi och resurser i närsamhället.</li>"
                        "</ul>",
                    ),
                    (
                        "paragraph",
                        "<p>Triangeln hjälper dig att se både risker och skyddsfaktorer. En "
                        "vanlig fallgrop är att samla mycket information om föräldrarnas "
                        "svårigheter men för lite om hur barnet faktiskt har det i "
                        "vardagen. Fråga dig därför hela tiden vad informationen betyder "
                        "för just det här barnet. Analysen är utredningens viktigaste del: "
                        "där väger du samman uppgifterna, redovisar vad som talar för och "
                        "emot olika slutsatser och beskriver barnets behov. Bedömningen ska "
                        "hänga ihop med de fakta som redovisats, så att både familjen och "
                        "den som fattar beslut kan följa hur du har resonerat.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: En anmälan från förskolan",
                            "text": (
                                "<p>Förskolan anmäler oro för en treårig flicka som ofta "
                                "kommer hungrig och i för tunna kläder och som har blivit "
                                "alltmer tystlåten. Personalen har vid flera tillfällen "
                                "känt lukt av alkohol när mamman hämtar. Vid "
                                "skyddsbedömningen finns inget som tyder på akut fara, men "
                                "oron är återkommande.</p>"
                                "<p>Hur skulle du motivera beslutet i förhandsbedömningen? "
                                "Vilka delar av BBIC-triangeln behöver du få kunskap om, "
                                "och hur gör du flickans egen situation synlig i "
                                "utredningen trots att hon är så liten?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Be din mentor visa en avidentifierad utredning som hen tycker är "
                        "välskriven. Vad gör analysen tydlig, och hur syns barnets perspektiv "
                        "i texten?",
                    ),
                ],
                "pass_mark": 70,
                "questions": [
                    {
                        "kind": "single",
                        "text": (
                            "Inom vilken tid ska en barnavårdsutredning som huvudregel vara "
                            "slutförd?"
                        ),
                        "choices": [
                            ("Fyra månader", True),
                            ("Fjorton dagar", False),
                            ("Sex månader", False),
                            ("Ett år", False),
                        ],
                        "explanation": (
                            "En barnavårdsutredning ska vara slutförd inom fyra månader. "
                            "Tiden får förlängas endast om det finns särskilda skäl, och "
                            "ett sådant beslut ska fattas av behörig beslutsfattare."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": "Vad är syftet med förhandsbedömningen?",
                        "choices": [
                            ("Att ta ställning till om en utredning ska inledas", True),
                            ("Att fatta beslut om vilka insatser familjen ska få", False),
                            (
                                "Att kartlägga familjens situation fullständigt innan "
                                "utredning inleds",
                                False,
                            ),
                        ],
                        "explanation": (
                            "Förhandsbedömningen avgör om det finns skäl att inleda "
                            "utredning. Den ska som huvudregel vara klar inom fjorton dagar "
                            "och får inte bli en utredning i förväg."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka är de tre områdena i BBIC-triangeln?",
                        "choices": [
                            ("Barnets utveckling", True),
                            ("Föräldrarnas förmåga", True),
                            ("Familj och miljö", True),
                            ("Skolans resurser", False),
                        ],
                        "explanation": (
                            "BBIC-triangeln består av barnets utveckling, föräldrarnas "
                            "förmåga och familj och miljö. Skolgång ingår under barnets "
                            "utveckling men är inte ett eget område."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka påståenden om den omedelbara skyddsbedömningen stämmer?",
                        "choices": [
                            ("Den ska göras genast när en anmälan kommer in.", True),
                            ("Den ska dokumenteras.", True),
                            ("Den kan vänta tills förhandsbedömningen är klar.", False),
                            ("Den kräver vårdnadshavarnas samtycke.", False),
                        ],
                        "explanation": (
                            "Skyddsbedömningen ska göras genast för att avgöra om barnet "
                            "behöver skydd direkt, och den ska dokumenteras. Den kräver "
                            "inget samtycke."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 3
            # ----------------------------------------------------------
            {
                "title": "Samtal med barn och barnets delaktighet",
                "slug": "samtal-med-barn-och-delaktighet",
                "intro": (
                    "Barnets egen berättelse är ofta avgörande för att förstå hur barnet har "
                    "det. Här lär du dig att förbereda, genomföra och dokumentera samtal med "
                    "barn."
                ),
                "estimated_minutes": 50,
                "body": [
                    ("heading", "Barnets rätt att komma till tals"),
                    (
                        "paragraph",
                        "<p>Ett barn som berörs av en åtgärd ska få relevant information "
                        "och ges möjlighet att framföra sina åsikter. Åsikterna ska "
                        "tillmätas betydelse i förhållande till barnets ålder och mognad. "
                        "Det finns ingen nedre åldersgräns för att komma till tals; även "
                        "små barn kan visa hur de har det genom ord, lek och beteende. "
                        "Delaktighet betyder inte att barnet ska fatta besluten. Det "
                        "betyder att barnet får veta vad som händer, blir lyssnat på och "
                        "får återkoppling om hur dess synpunkter har vägts in. Ett barn som "
                        "har fyllt 15 år har dessutom rätt att själv föra sin talan i "
                        "ärenden enligt socialtjänstlagen och LVU.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>I en barnavårdsutredning får socialtjänsten samtala med barnet "
                        "utan vårdnadshavarnas samtycke och utan att de är närvarande. Det "
                        "är särskilt viktigt när barnet kan vara utsatt för våld eller "
                        "andra övergrepp i hemmet. Vårdnadshavarna bör informeras om "
                        "samtalet så snart det kan ske utan att barnet utsätts för risk "
                        "eller utredningen försvåras. Barnet har ingen skyldighet att delta. "
                        "Respektera ett nej, men gör ett nytt försök vid ett senare "
                        "tillfälle och fundera på om en annan miljö, en annan "
                        "samtalsledare eller ett annat upplägg kan göra det lättare.</p>",
                    ),
                    ("heading", "Att planera och genomföra samtalet"),
                    (
                        "paragraph",
                        "<p>Ett bra samtal börjar med planering. Tänk igenom syftet, vilka "
                        "frågor som behöver belysas, var samtalet ska äga rum och hur "
                        "barnet tar sig dit. Anpassa språk och upplägg efter barnets ålder "
                        "och utveckling, och boka tolk om barnet behöver det. Använd aldrig "
                        "familjemedlemmar eller andra barn som tolk. Börja samtalet med att "
                        "berätta vem du är, varför ni träffas och vad som händer med det "
                        "barnet berättar. Lova aldrig att hålla det barnet säger hemligt. "
                        "Förklara i stället ärligt vem som kan få veta och varför.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Använd öppna frågor, till exempel <i>Berätta om en vanlig dag "
                        "hemma</i> eller <i>Vad händer när någon blir arg hemma hos er?</i> "
                        "Undvik ledande frågor och frågor som bara kan besvaras med ja "
                        "eller nej. Om barnet berättar om våld eller sexuella övergrepp: "
                        "lyssna lugnt, ställ inte detaljerade följdfrågor och kontakta så "
                        "snart som möjligt din chef för att ta ställning till polisanmälan "
                        "och samråd, eftersom barnet kan behöva höras av polis. Dokumentera "
                        "barnets egna ord så ordagrant som möjligt, vilka frågor du "
                        "ställde och i vilket sammanhang barnet berättade.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "info",
                            "title": "Hjälpmedel i samtalet",
                            "text": (
                                "<p>Bilder, tidslinjer, nätverkskartor och enkla skalor, "
                                "till exempel från ett till tio, kan göra det lättare för "
                                "barn att berätta. Fråga din mentor vilket samtalsstöd er "
                                "verksamhet använder. Hjälpmedlen ska stödja samtalet, "
                                "inte styra det.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: Ett samtal på skolan",
                            "text": (
                                "<p>Du träffar en tioårig pojke på hans skola under en "
                                "utredning som inleddes efter en anmälan om bråk i "
                                "hemmet. Pojken pratar gärna om fotboll men blir tyst när "
                                "du frågar om hemmet. I slutet av samtalet säger han: "
                                "<i>Jag vill inte att pappa ska veta att jag har sagt "
                                "något.</i></p>"
                                "<p>Hur bemöter du det? Vad kan du lova och inte lova "
                                "pojken, och hur planerar du nästa samtal så att han får "
                                "möjlighet att berätta mer i sin egen takt?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Planera tillsammans med din mentor ett samtal med ett barn i ett av "
                        "dina ärenden. Hur inleder du, vilka öppna frågor vill du ställa och "
                        "hur ger du barnet återkoppling efteråt?",
                    ),
                ],
                "pass_mark": 70,
                "questions": [
                    {
                        "kind": "single",
                        "text": (
                            "Får socialtjänsten samtala med ett barn i en "
                            "barnavårdsutredning utan vårdnadshavarnas samtycke?"
                        ),
                        "choices": [
                            ("Ja, och utan att vårdnadshavarna är närvarande", True),
                            ("Nej, vårdnadshavarnas samtycke krävs alltid", False),
                            ("Bara om barnet har fyllt 15 år", False),
                        ],
                        "explanation": (
                            "I en barnavårdsutredning får socialtjänsten samtala med barnet "
                            "utan vårdnadshavarnas samtycke och utan att de är närvarande, "
                            "oavsett barnets ålder."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": (
                            "Vilka förhållningssätt är lämpliga när ett barn börjar "
                            "berätta om våld i hemmet?"
                        ),
                        "choices": [
                            ("Lyssna lugnt och låta barnet berätta med egna ord", True),
                            (
                                "Dokumentera barnets egna ord och vilka frågor som ställdes",
                                True,
                            ),
                            ("Ställa detaljerade följdfrågor för att säkra bevisning", False),
                            ("Lova barnet att ingen annan kommer att få veta", False),
                        ],
                        "explanation": (
                            "Detaljerade frågor kan försvåra ett senare polisförhör, och "
                            "ett löfte om tystnad går inte att hålla. Lyssna, dokumentera "
                            "noggrant och kontakta din chef."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Från vilken ålder har ett barn rätt att själv föra sin talan i "
                            "ärenden enligt socialtjänstlagen och LVU?"
                        ),
                        "choices": [
                            ("15 år", True),
                            ("12 år", False),
                            ("18 år", False),
                        ],
                        "explanation": (
                            "Den som har fyllt 15 år har rätt att själv föra sin talan i "
                            "dessa ärenden. Yngre barn ska ändå få information och komma "
                            "till tals utifrån ålder och mognad."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vad innebär barnets delaktighet i ett ärende?",
                        "choices": [
                            ("Att barnet får information om vad som händer", True),
                            (
                                "Att barnet får uttrycka sina åsikter och att de tillmäts "
                                "betydelse efter ålder och mognad",
                                True,
                            ),
                            ("Att barnet själv beslutar vilken insats som ska ges", False),
                        ],
                        "explanation": (
                            "Delaktighet handlar om information, att få komma till tals och "
                            "att få återkoppling. Ansvaret för besluten ligger alltid hos "
                            "vuxna och hos socialnämnden."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 4
            # ----------------------------------------------------------
            {
                "title": "Dokumentation och rättssäkerhet",
                "slug": "dokumentation-och-rattssakerhet",
                "intro": (
                    "God dokumentation skyddar den enskildes rättssäkerhet och kvaliteten i "
                    "arbetet. Modulen tar upp journalföring, partsinsyn, kommunicering och "
                    "sekretess."
                ),
                "estimated_minutes": 45,
                "body": [
                    ("heading", "Varför vi dokumenterar"),
                    (
                        "paragraph",
                        "<p>Dokumentationen i ett barnärende fyller flera funktioner. Den "
                        "ger underlag för beslut, gör det möjligt att följa och granska "
                        "handläggningen, säkrar kontinuiteten när handläggare byts och ger "
                        "barnet och familjen möjlighet att förstå vad som har hänt. Många "
                        "som har varit placerade som barn begär som vuxna att få läsa sina "
                        "akter. Skriv därför med vetskapen att barnet en dag kan komma att "
                        "läsa texten. Socialstyrelsens föreskrifter och allmänna råd om "
                        "dokumentation anger vad som ska dokumenteras och hur, och din "
                        "verksamhet har lokala rutiner som konkretiserar kraven.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Dokumentationen ska vara saklig, relevant och begriplig. Skilj "
                        "tydligt mellan vad du själv har iakttagit, vad andra har uppgett "
                        "och vilka bedömningar du gör. Ange källan för uppgifter, till "
                        "exempel <i>enligt skolans anmälan</i> eller <i>mamman uppger "
                        "att</i>. Undvik värdeladdade ord, fackjargong och diagnoser som "
                        "inte är fastställda. Journalanteckningar ska göras utan onödigt "
                        "dröjsmål, helst samma dag. Uppgifter som saknar betydelse för "
                        "ärendet ska inte dokumenteras, även om de är intressanta. Tänk på "
                        "att parterna som huvudregel har rätt att ta del av det som förs in "
                        "i akten.</p>",
                    ),
                    ("heading", "Partsinsyn, kommunicering och sekretess"),
                    (
                        "paragraph",
                        "<p>Förvaltningslagen ger den som är part i ett ärende rätt att ta "
                        "del av uppgifterna i ärendet. Innan ett beslut fattas ska parten "
                        "som huvudregel få tillfälle att yttra sig över material som har "
                        "tillförts ärendet av någon annan än parten själv, så kallad "
                        "kommunicering. Det ger familjen möjlighet att rätta felaktigheter "
                        "och komplettera underlaget. Om den enskilde anser att något i "
                        "dokumentationen är fel ska det antecknas. Beslut ska motiveras så "
                        "att det framgår vilka omständigheter som varit avgörande, och ett "
                        "beslut som går den enskilde emot ska innehålla information om hur "
                        "det kan överklagas.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Uppgifter i socialtjänsten skyddas av socialtjänstsekretessen i "
                        "offentlighets- och sekretesslagen (OSL). Huvudregeln är att "
                        "sekretess gäller för uppgifter om enskildas personliga "
                        "förhållanden, om det inte står klart att uppgiften kan röjas utan "
                        "att den enskilde eller någon närstående lider men. Sekretessen "
                        "gäller även mot andra myndigheter och mellan olika verksamheter i "
                        "kommunen. Uppgifter får lämnas ut om den enskilde samtycker eller "
                        "om en sekretessbrytande bestämmelse är tillämplig. Var särskilt "
                        "uppmärksam på skyddade personuppgifter: en adress eller en skola "
                        "som av misstag hamnar i en handling till en motpart kan innebära "
                        "livsfara.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Skyddade personuppgifter",
                            "text": (
                                "<p>Kontrollera alltid om någon i ärendet har skyddade "
                                "personuppgifter innan du skickar ut handlingar, beslut "
                                "eller kallelser. Följ verksamhetens rutin för sådana "
                                "ärenden och fråga hellre en gång för mycket än en gång "
                                "för lite.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: Anteckningen efter hembesöket",
                            "text": (
                                "<p>Efter ett hembesök hos en familj med en sjuårig flicka "
                                "skriver en kollega: <i>Lägenheten var ett kaos och mamman "
                                "verkade helt ointresserad av barnet. Troligen "
                                "deprimerad.</i> Anteckningen ska föras in i journalen "
                                "samma eftermiddag.</p>"
                                "<p>Hur skulle du skriva om anteckningen så att den blir "
                                "saklig och skiljer mellan iakttagelser, uppgifter och "
                                "bedömningar? Vad behöver du ha sett eller hört för att "
                                "kunna beskriva flickans situation?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Läs igenom en av dina egna journalanteckningar tillsammans med din "
                        "mentor. Skulle familjen känna igen sig i beskrivningen, och skulle "
                        "barnet förstå texten om hen läste den som vuxen?",
                    ),
                ],
                "pass_mark": 70,
                "questions": [
                    {
                        "kind": "multiple",
                        "text": "Vad kännetecknar en rättssäker journalanteckning?",
                        "choices": [
                            (
                                "Den skiljer mellan iakttagelser, uppgifter från andra och "
                                "egna bedömningar",
                                True,
                            ),
                            ("Den anger källan till uppgifterna", True),
                            (
                                "Den beskriver handläggarens personliga intryck av "
                                "familjens livsstil",
                                False,
                            ),
                            ("Den skrivs först när utredningen är avslutad", False),
                        ],
                        "explanation": (
                            "En rättssäker anteckning är saklig, anger källor och håller "
                            "isär fakta och bedömningar. Den görs utan onödigt dröjsmål, "
                            "inte i efterhand."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": "Vad innebär kommunicering enligt förvaltningslagen?",
                        "choices": [
                            (
                                "Att parten får yttra sig över material som tillförts "
                                "ärendet av någon annan, innan beslut fattas",
                                True,
                            ),
                            ("Att beslutet skickas till parten efter att det har fattats", False),
                            ("Att socialtjänsten informerar andra myndigheter om ärendet", False),
                        ],
                        "explanation": (
                            "Kommunicering ger parten möjlighet att bemöta och rätta "
                            "uppgifter innan beslut fattas, vilket stärker både "
                            "rättssäkerheten och beslutsunderlaget."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": "Hur är socialtjänstsekretessen i OSL utformad?",
                        "choices": [
                            (
                                "Sekretess gäller om det inte står klart att uppgiften kan "
                                "röjas utan att den enskilde eller en närstående lider men",
                                True,
                            ),
                            (
                                "Uppgifter är offentliga om det inte kan antas att den "
                                "enskilde lider skada",
                                False,
                            ),
                            (
                                "Sekretess gäller bara mot enskilda, inte mot andra myndigheter",
                                False,
                            ),
                        ],
                        "explanation": (
                            "Socialtjänstsekretessen har ett så kallat omvänt skaderekvisit, "
                            "vilket innebär att sekretess är huvudregel. Den gäller även mot "
                            "andra myndigheter och verksamheter."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": (
                            "När får uppgifter som omfattas av socialtjänstsekretess lämnas ut?"
                        ),
                        "choices": [
                            ("När den enskilde samtycker", True),
                            ("När en sekretessbrytande bestämmelse är tillämplig", True),
                            (
                                "När en kollega på en annan förvaltning i kommunen ber om det",
                                False,
                            ),
                            (
                                "När en journalist anser att uppgiften är av allmänt intresse",
                                False,
                            ),
                        ],
                        "explanation": (
                            "Uppgifter får lämnas ut med den enskildes samtycke eller med "
                            "stöd av en sekretessbrytande bestämmelse. Att mottagaren "
                            "arbetar i samma kommun räcker inte."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 5
            # ----------------------------------------------------------
            {
                "title": "Hedersrelaterat våld och förtryck – riskbedömning",
                "slug": "hedersrelaterat-vald-och-fortryck",
                "intro": (
                    "Hedersrelaterat våld och förtryck kräver särskild kunskap och "
                    "försiktighet. Modulen beskriver kännetecken, risker i handläggningen "
                    "och hur en strukturerad riskbedömning används."
                ),
                "estimated_minutes": 60,
                "body": [
                    ("heading", "Vad kännetecknar hedersrelaterat våld och förtryck?"),
                    (
                        "paragraph",
                        "<p>Hedersrelaterat våld och förtryck har sin grund i starkt "
                        "patriarkala och heteronormativa föreställningar, där familjens "
                        "anseende kopplas till flickors och kvinnors sexualitet och "
                        "beteende. Det som framför allt skiljer det från annat våld i nära "
                        "relationer är den kollektiva dimensionen: kontrollen och våldet "
                        "kan vara sanktionerat av och utövas av flera personer i familjen "
                        "eller släkten, ibland även av syskon. Förtrycket kan gälla vem "
                        "barnet umgås med, hur hen klär sig, vilken utbildning hen får och "
                        "vem hen ska gifta sig med. Pojkar och hbtqi-personer kan också "
                        "vara utsatta, både som offer och som personer som pressas att "
                        "kontrollera andra.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Lagstiftningen har skärpts under senare år. Äktenskapstvång, "
                        "barnäktenskapsbrott och vilseledande till tvångsäktenskapsresa är "
                        "straffbara, och sedan 2022 finns brottet hedersförtryck i "
                        "brottsbalken. Enligt LVU kan förvaltningsrätten besluta om "
                        "utreseförbud när det finns risk att ett barn förs utomlands för "
                        "att giftas bort eller utsättas för könsstympning. Socialtjänsten "
                        "behöver också ta ställning till om barnet behöver skydd genom en "
                        "placering, ibland på skyddad adress. Samverkan med polis, skola "
                        "och hälso- och sjukvård är ofta avgörande, liksom stöd från "
                        "kollegor med särskild kompetens inom området.</p>",
                    ),
                    ("heading", "Riskbedömning och försiktighet i handläggningen"),
                    (
                        "paragraph",
                        "<p>I ärenden där hedersrelaterat våld kan förekomma får vanliga "
                        "arbetssätt inte tillämpas okritiskt. Att informera vårdnadshavarna "
                        "om en anmälan, kalla familjen till gemensamma möten eller försöka "
                        "medla kan öka risken för barnet avsevärt. Innan vårdnadshavarna "
                        "kontaktas behöver du därför, tillsammans med din chef, bedöma hur "
                        "och när det kan ske utan att barnet utsätts för fara. Samtala med "
                        "barnet enskilt och i en trygg miljö. Om tolk behövs ska det vara "
                        "en professionell tolk som barnet godtar och som inte har "
                        "kopplingar till familjens nätverk.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>En strukturerad riskbedömning hjälper dig att systematiskt gå "
                        "igenom riskfaktorer och väga dem mot varandra. Många kommuner "
                        "använder bedömningsinstrumentet PATRIARK, som är utformat för "
                        "hedersrelaterat våld, eller checklistor och stödmaterial från det "
                        "nationella kompetensteamet mot hedersrelaterat våld och förtryck. "
                        "Instrumenten ersätter inte den professionella bedömningen men gör "
                        "den tydligare och mer likvärdig. Riskbedömningen ska göras om när "
                        "situationen förändras, till exempel när familjen får kännedom om "
                        "utredningen eller inför ett skollov. Dokumentera vilket underlag "
                        "som använts och vilka skyddsåtgärder som vidtagits.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Undvik medling och familjesamtal",
                            "text": (
                                "<p>Medling, familjesamtal och att låta någon i nätverket "
                                "framföra budskap till familjen kan öka risken för barnet "
                                "och få barnet att ta tillbaka sin berättelse. Ta alltid "
                                "upp sådana åtgärder med din chef och gör en "
                                "riskbedömning innan något beslutas.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: En sextonåring som vill berätta",
                            "text": (
                                "<p>En sextonårig flicka söker upp skolkuratorn och "
                                "berättar att hon inte längre får gå på träningen, att "
                                "hennes bror följer henne till och från skolan och att hon "
                                "har hört föräldrarna prata om en resa till släkten i "
                                "sommar. Hon är rädd för vad som händer om familjen får "
                                "veta att hon har pratat med någon. Kuratorn gör en "
                                "orosanmälan samma dag.</p>"
                                "<p>Vilka risker behöver bedömas innan vårdnadshavarna "
                                "kontaktas? Vilka skyddsåtgärder kan bli aktuella på kort "
                                "sikt, och vilken betydelse har den planerade resan?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Diskutera med din mentor hur er verksamhet arbetar med riskbedömning "
                        "vid misstanke om hedersrelaterat våld. Vem har särskild kompetens "
                        "att rådfråga, och hur undviker ni att barnet utsätts för ökad risk "
                        "under utredningen?",
                    ),
                ],
                "pass_mark": 70,
                "questions": [
                    {
                        "kind": "single",
                        "text": (
                            "Vad skiljer framför allt hedersrelaterat våld och förtryck från "
                            "annat våld i nära relationer?"
                        ),
                        "choices": [
                            (
                                "Den kollektiva dimensionen, där flera i familjen eller "
                                "släkten kan utöva eller sanktionera kontrollen",
                                True,
                            ),
                            ("Att våldet alltid är fysiskt", False),
                            ("Att det bara drabbar flickor", False),
                        ],
                        "explanation": (
                            "Den kollektiva dimensionen är central. Våldet och kontrollen "
                            "kan vara psykiska såväl som fysiska, och även pojkar och "
                            "hbtqi-personer kan vara utsatta."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": (
                            "Vilka åtgärder kan öka risken för ett barn när hedersrelaterat "
                            "våld misstänks?"
                        ),
                        "choices": [
                            (
                                "Att kontakta vårdnadshavarna innan en riskbedömning har gjorts",
                                True,
                            ),
                            ("Att erbjuda familjen medling", True),
                            ("Att använda en släkting som tolk", True),
                            ("Att samtala med barnet enskilt i en trygg miljö", False),
                        ],
                        "explanation": (
                            "Kontakt med familjen, medling och tolkar med kopplingar till "
                            "nätverket kan avslöja barnets berättelse och öka risken. Ett "
                            "enskilt samtal i trygg miljö är i stället en skyddsåtgärd."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Vad kan förvaltningsrätten besluta enligt LVU när det finns "
                            "risk att ett barn förs utomlands för att giftas bort?"
                        ),
                        "choices": [
                            ("Utreseförbud", True),
                            ("Kontaktförbud", False),
                            ("Ändrad folkbokföring", False),
                        ],
                        "explanation": (
                            "Utreseförbud enligt LVU kan beslutas när det finns risk att "
                            "ett barn förs utomlands för till exempel barnäktenskap, "
                            "tvångsäktenskap eller könsstympning."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka påståenden om strukturerad riskbedömning stämmer?",
                        "choices": [
                            ("Den bör göras om när situationen förändras", True),
                            ("Den gör bedömningen tydligare och mer likvärdig", True),
                            ("Den ersätter den professionella bedömningen", False),
                        ],
                        "explanation": (
                            "Instrument som PATRIARK stödjer men ersätter inte den "
                            "professionella bedömningen. Risken förändras över tid, så "
                            "bedömningen behöver göras om."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 6
            # ----------------------------------------------------------
            {
                "title": "Hot och våld i arbetet",
                "slug": "hot-och-vald-i-arbetet",
                "intro": (
                    "Hot och våld är en verklig risk i myndighetsutövning som rör barn och "
                    "familjer. Här går vi igenom förebyggande arbete, agerande i stunden och "
                    "stöd efteråt."
                ),
                "estimated_minutes": 40,
                "body": [
                    ("heading", "Arbetsgivarens ansvar och ditt ansvar"),
                    (
                        "paragraph",
                        "<p>Myndighetsutövning innebär att fatta beslut som kan upplevas "
                        "som djupt ingripande av dem det berör. Det gäller särskilt i "
                        "barnärenden, där beslut om utredning, placering eller begränsat "
                        "umgänge väcker starka känslor. Arbetsgivaren har enligt "
                        "arbetsmiljölagen och Arbetsmiljöverkets föreskrifter ansvar för "
                        "att bedöma risken för hot och våld, vidta åtgärder och ha rutiner "
                        "för hur personalen ska agera. Det gäller bland annat säkra "
                        "besöksrum, larm, regler för hembesök och ensamarbete samt stöd "
                        "efter en händelse. Ditt ansvar är att följa rutinerna, använda "
                        "larm och annan säkerhetsutrustning och rapportera tillbud och "
                        "händelser.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Hot kan vara direkta, som när någon säger att de ska skada dig, "
                        "men också indirekta: att någon nämner var du bor, fotograferar "
                        "dig, kontaktar dig privat eller hänger ut dig i sociala medier. "
                        "Försök att på sådana sätt påverka en tjänsteperson kallas ofta "
                        "otillåten påverkan. Syftet kan vara att få dig att ändra ett "
                        "beslut, avstå från en åtgärd eller lämna ärendet. Hantera aldrig "
                        "sådant ensam. Berätta för din chef, dokumentera vad som hänt och "
                        "låt organisationen ta ställning till åtgärder, till exempel att ni "
                        "alltid är två i kontakterna. Att byta handläggare kan ibland vara "
                        "nödvändigt, men det kan också ge signalen att hot lönar sig.</p>",
                    ),
                    ("heading", "Före, under och efter en hotfull situation"),
                    (
                        "paragraph",
                        "<p>Det förebyggande arbetet börjar före mötet. Läs in ärendet, ta "
                        "reda på om det har förekommit hot eller våld tidigare och gör en "
                        "riskbedömning tillsammans med kollegor eller chef. Sitt så att du "
                        "har fri väg ut ur rummet och se till att någon vet var du är. Vid "
                        "hembesök är ni som regel två och har en plan för hur besöket kan "
                        "avbrytas. Om en situation blir hotfull: tala lugnt, undvik att "
                        "argumentera, sätt tydliga gränser och avbryt mötet om det behövs. "
                        "Din säkerhet går alltid före att slutföra ett samtal eller att "
                        "delge ett beslut.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Efter en händelse ska du få stöd, både praktiskt och "
                        "känslomässigt. Chefen ansvarar för att du erbjuds samtal, att "
                        "händelsen dokumenteras och att den rapporteras i verksamhetens "
                        "system för tillbud och arbetsskador. Allvarliga händelser ska "
                        "arbetsgivaren anmäla till Arbetsmiljöverket. Hot som riktas mot "
                        "dig på grund av din myndighetsutövning kan utgöra brottet våld "
                        "eller hot mot tjänsteman, och i många kommuner är det "
                        "arbetsgivaren som gör polisanmälan. Vid en allvarlig hotbild kan "
                        "du också ansöka om skyddade personuppgifter hos Skatteverket.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "info",
                            "title": "Rutiner att känna till redan första veckan",
                            "text": (
                                "<p>Ta reda på var verksamhetens rutin för hot och våld "
                                "finns, hur larmet i besöksrummen fungerar, hur du "
                                "rapporterar tillbud och vem du kontaktar om något händer "
                                "utanför kontorstid.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: Ett oanmält besök i receptionen",
                            "text": (
                                "<p>En pappa kommer till receptionen utan att ha bokat "
                                "tid. Han vill träffa handläggaren för sin åttaåriga "
                                "dotter, som dagen innan placerades i ett jourhem. Han är "
                                "högljudd och säger att han vet vilken bil handläggaren "
                                "kör och att hon kommer att ångra sig.</p>"
                                "<p>Hur bör receptionen och handläggaren agera i stunden? "
                                "Vilka åtgärder behöver chefen ta ställning till efteråt, "
                                "både för handläggarens säkerhet och för att ärendet ska "
                                "kunna drivas vidare på ett rättssäkert sätt?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Gå igenom er lokala rutin för hot och våld tillsammans med din "
                        "mentor. Vad skulle du göra om du blev hotad i telefon i morgon, och "
                        "vem skulle du kontakta först?",
                    ),
                ],
                "pass_mark": 70,
                "questions": [
                    {
                        "kind": "multiple",
                        "text": "Vilka av följande kan vara exempel på otillåten påverkan?",
                        "choices": [
                            ("Att en förälder nämner var handläggaren bor", True),
                            ("Att någon hänger ut handläggaren i sociala medier", True),
                            ("Att en förälder överklagar ett beslut", False),
                            ("Att en förälder begär att få ta del av sin akt", False),
                        ],
                        "explanation": (
                            "Otillåten påverkan är försök att påverka myndighetsutövningen "
                            "genom hot, trakasserier eller liknande. Att överklaga eller "
                            "begära ut handlingar är lagliga rättigheter."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Vad gäller som huvudregel vid hembesök i ärenden där det finns "
                            "risk för hot?"
                        ),
                        "choices": [
                            (
                                "Man är två och har en plan för hur besöket kan avbrytas",
                                True,
                            ),
                            ("Man går ensam för att inte provocera familjen", False),
                            ("Man genomför alltid besöket tillsammans med polis", False),
                        ],
                        "explanation": (
                            "Att vara två och ha en plan för att avbryta besöket är en "
                            "grundläggande säkerhetsåtgärd. Polis kan behövas i vissa "
                            "fall men är inte huvudregel."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Vilket brott tar särskilt sikte på hot som riktas mot någon "
                            "för att påverka eller hämnas myndighetsutövning?"
                        ),
                        "choices": [
                            ("Våld eller hot mot tjänsteman", True),
                            ("Förtal", False),
                            ("Egenmäktighet med barn", False),
                        ],
                        "explanation": (
                            "Våld eller hot mot tjänsteman skyddar den som utövar "
                            "myndighet. Hotet riktas mot myndighetsutövningen, och därför "
                            "gör ofta arbetsgivaren polisanmälan."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka av följande ingår i arbetsgivarens ansvar?",
                        "choices": [
                            ("Att bedöma risken för hot och våld och vidta åtgärder", True),
                            ("Att erbjuda stöd efter en händelse", True),
                            ("Att anmäla allvarliga händelser till Arbetsmiljöverket", True),
                            ("Att låta medarbetaren själv bekosta larm", False),
                        ],
                        "explanation": (
                            "Arbetsgivaren ansvarar för riskbedömning, åtgärder, rutiner och "
                            "stöd samt för att anmäla allvarliga händelser. Skyddsutrustning "
                            "bekostas av arbetsgivaren."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 7
            # ----------------------------------------------------------
            {
                "title": "Placering i familjehem och HVB",
                "slug": "placering-i-familjehem-och-hvb",
                "intro": (
                    "När ett barn inte kan bo hemma har socialtjänsten ett särskilt ansvar "
                    "för att barnet får god vård. Modulen tar upp val av placeringsform, "
                    "planering och uppföljning."
                ),
                "estimated_minutes": 55,
                "body": [
                    ("heading", "Placeringsformer och val av vårdgivare"),
                    (
                        "paragraph",
                        "<p>Barn och unga som behöver vård utanför det egna hemmet kan "
                        "placeras i familjehem, jourhem, hem för vård eller boende (HVB) "
                        "eller, för unga mellan 16 och 20 år, i stödboende. Placeringen kan "
                        "ske med stöd av socialtjänstlagen, om vårdnadshavarna och den unge "
                        "från 15 år samtycker, eller med stöd av LVU. Familjehem är den "
                        "vanligaste placeringsformen för yngre barn. HVB är i regel aktuellt "
                        "när den unge behöver behandling eller mer struktur än ett "
                        "familjehem kan ge. Innan ett barn placeras ska socialtjänsten "
                        "alltid överväga om barnet kan placeras hos en anhörig eller någon "
                        "annan närstående.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Ett familjehem ska vara utrett och bedömt som lämpligt innan "
                        "placeringen, och familjehemmet ska få den utbildning och det stöd "
                        "som behövs. Vid placering i HVB ska du kontrollera att "
                        "verksamheten har tillstånd från Inspektionen för vård och omsorg "
                        "(IVO) när sådant krävs och att den kan möta just det här barnets "
                        "behov. Matchningen mellan barnets behov och vårdgivarens "
                        "förutsättningar är avgörande för att placeringen ska hålla. Väg "
                        "också in syskonrelationer, skolgång, barnets språk, kultur och "
                        "religion samt möjligheten att behålla viktiga relationer till "
                        "föräldrar och nätverk.</p>",
                    ),
                    ("heading", "Planering, uppföljning och rätt till kontinuitet"),
                    (
                        "paragraph",
                        "<p>För ett placerat barn ska det finnas en vårdplan som beskriver "
                        "syftet med vården och hur den är planerad, och en "
                        "genomförandeplan som beskriver hur vården konkret ska genomföras. "
                        "Barnet ska ha en särskilt utsedd socialsekreterare som ansvarar "
                        "för kontakten med barnet. Du ska besöka barnet regelbundet och "
                        "samtala med barnet enskilt, om det inte är olämpligt. "
                        "Socialtjänsten ska också se till att barnet erbjuds en "
                        "hälsoundersökning och att behovet av hälso- och sjukvård, tandvård "
                        "och skolgång tillgodoses under placeringen.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Vården ska följas upp noga. Minst var sjätte månad ska nämnden "
                        "överväga om vården fortfarande behövs och hur den bör inriktas och "
                        "utformas. Vid vård enligt 3 § LVU prövas i stället om vården ska "
                        "upphöra. När ett barn har varit placerat i samma familjehem i tre "
                        "år ska nämnden särskilt överväga om det finns skäl att ansöka om "
                        "överflyttning av vårdnaden till familjehemsföräldrarna. Barnets "
                        "behov av stabilitet och trygghet kan väga tyngre än föräldrarnas "
                        "önskan om återförening. När vården upphör ska barnets situation "
                        "följas upp, så att övergången hem eller till ett eget boende blir "
                        "så trygg som möjligt.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: Två syskon behöver placeras akut",
                            "text": (
                                "<p>En femårig pojke och hans elvaåriga syster behöver "
                                "placeras akut sedan vårdnadshavaren har lagts in på "
                                "sjukhus. Det lediga jourhemmet kan bara ta emot ett barn, "
                                "och en moster i en annan kommun har hört av sig och vill "
                                "hjälpa till. Systern säger att hon inte vill bli skild "
                                "från sin bror.</p>"
                                "<p>Vilka faktorer behöver vägas in i valet av placering? "
                                "Hur tar du tillvara barnens egna önskemål, och vad "
                                "behöver du veta om mostern innan hon kan bli aktuell som "
                                "familjehem?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Diskutera med din mentor hur ni förbereder ett barn inför en "
                        "placering. Hur får barnet veta vart hen ska, varför och vad som "
                        "händer sedan, och hur följer ni upp barnets upplevelse?",
                    ),
                ],
                "pass_mark": 70,
                "questions": [
                    {
                        "kind": "single",
                        "text": (
                            "Hur ofta ska nämnden minst överväga om vården av ett barn som "
                            "är placerat enligt socialtjänstlagen eller 2 § LVU fortfarande "
                            "behövs?"
                        ),
                        "choices": [
                            ("Var sjätte månad", True),
                            ("En gång per år", False),
                            ("Var tredje månad", False),
                        ],
                        "explanation": (
                            "Vården ska övervägas minst var sjätte månad. Vid vård enligt "
                            "3 § LVU prövas i stället med samma intervall om vården ska "
                            "upphöra."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka planer ska finnas när ett barn är placerat?",
                        "choices": [
                            ("En vårdplan", True),
                            ("En genomförandeplan", True),
                            ("En plan som skolan har godkänt", False),
                        ],
                        "explanation": (
                            "Vårdplanen beskriver syftet med och planeringen av vården, och "
                            "genomförandeplanen hur vården konkret ska genomföras. Skolan "
                            "kan bidra men godkänner inte planerna."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": (
                            "Vad ska socialtjänsten säkerställa eller överväga vid placering?"
                        ),
                        "choices": [
                            (
                                "Om barnet kan placeras hos en anhörig eller annan närstående",
                                True,
                            ),
                            ("Att familjehemmet är utrett och bedömt som lämpligt", True),
                            ("Att barnet har en särskilt utsedd socialsekreterare", True),
                            ("Att barnet byter skola så snart som möjligt", False),
                        ],
                        "explanation": (
                            "Placering hos närstående ska alltid övervägas, familjehemmet "
                            "ska vara utrett och barnet ska ha en särskilt utsedd "
                            "socialsekreterare. Skolbyte ska undvikas om det inte är bäst "
                            "för barnet."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Vad ska nämnden särskilt överväga när ett barn har varit "
                            "placerat i samma familjehem i tre år?"
                        ),
                        "choices": [
                            (
                                "Om det finns skäl att ansöka om överflyttning av vårdnaden "
                                "till familjehemsföräldrarna",
                                True,
                            ),
                            ("Om barnet ska flyttas till ett HVB", False),
                            ("Om placeringen ska avslutas", False),
                        ],
                        "explanation": (
                            "Efter tre år i samma familjehem ska nämnden särskilt överväga "
                            "vårdnadsöverflyttning, eftersom barnets behov av stabilitet och "
                            "kontinuitet då väger tungt."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 8
            # ----------------------------------------------------------
            {
                "title": "Samverkan med skola, hälso- och sjukvård och polis",
                "slug": "samverkan-skola-halso-och-sjukvard-polis",
                "intro": (
                    "Barn som far illa behöver ofta stöd från flera aktörer samtidigt. "
                    "Modulen beskriver anmälningsskyldighet, sekretess i samverkan, SIP och "
                    "samarbetet med polisen."
                ),
                "estimated_minutes": 45,
                "body": [
                    ("heading", "Anmälningsskyldighet och uppgiftsskyldighet"),
                    (
                        "paragraph",
                        "<p>Myndigheter och yrkesverksamma inom bland annat skola, "
                        "förskola, hälso- och sjukvård, polis och socialtjänst ska genast "
                        "anmäla till socialnämnden om de i sin verksamhet får kännedom om "
                        "eller misstänker att ett barn far illa. Anmälningsskyldigheten i "
                        "socialtjänstlagen är personlig. En lärare kan alltså inte lämna "
                        "över ansvaret till rektor eller kurator, även om skolan har "
                        "rutiner för hur anmälningar görs. Den som är anmälningsskyldig är "
                        "också skyldig att lämna uppgifter som kan vara av betydelse för en "
                        "utredning. Du kan därför begära uppgifter från skolan eller vården "
                        "under en utredning, men var tydlig med vilka uppgifter du behöver "
                        "och varför.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Ett gott samarbete med anmälarna är viktigt. En yrkesverksam "
                        "som har gjort en anmälan ska, om det inte är olämpligt, få besked "
                        "om att en utredning har inletts, inte ska inledas eller redan "
                        "pågår. Det hjälper skolan och vården att fortsätta anmäla och att "
                        "stödja barnet. Samtidigt gäller sekretessen. Du får inte berätta "
                        "mer om familjens situation än vad lagen tillåter, och "
                        "utgångspunkten är att uppgifter om barnet och familjen lämnas ut "
                        "bara med samtycke eller med stöd av en sekretessbrytande "
                        "bestämmelse.</p>",
                    ),
                    ("heading", "SIP och samverkan kring barnet"),
                    (
                        "paragraph",
                        "<p>När ett barn behöver insatser från både socialtjänsten och "
                        "hälso- och sjukvården ska kommunen och regionen tillsammans "
                        "upprätta en samordnad individuell plan, SIP, om de bedömer att det "
                        "behövs för att barnets behov ska tillgodoses och om den enskilde "
                        "samtycker. För barn är det i regel vårdnadshavarna som samtycker, "
                        "och barnets egen inställning ska väga allt tyngre med stigande "
                        "ålder och mognad. Planen ska visa vilka insatser som behövs, vem "
                        "som ansvarar för vad och vem som har det övergripande ansvaret. "
                        "Skolan deltar ofta. En SIP ska utgå från barnets behov, inte från "
                        "organisationernas gränser.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Samverkan med polisen är särskilt viktig vid misstanke om brott "
                        "mot barn och när unga riskerar att dras in i kriminalitet. Vid "
                        "misstanke om våld eller sexuella övergrepp mot barn sker samråd "
                        "mellan socialtjänst, polis och åklagare, ofta på ett barnahus där "
                        "även hälso- och sjukvården medverkar. OSL ger socialtjänsten "
                        "möjlighet att lämna uppgifter till polisen om misstanke om vissa "
                        "brott mot barn. För unga som riskerar att begå brott finns "
                        "samverkansformer som SSPF, där skola, socialtjänst, polis och "
                        "fritid arbetar tillsammans utifrån individuella planer och med "
                        "familjens samtycke.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "info",
                            "title": "Samtycke öppnar dörrar",
                            "text": (
                                "<p>Många samverkansproblem kan lösas med ett tydligt "
                                "samtycke. Förklara för familjen vilka uppgifter som "
                                "behöver lämnas, till vem och varför. Dokumentera "
                                "samtycket och vad det omfattar, och kom ihåg att det när "
                                "som helst kan återkallas.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: Många aktörer, ingen helhet",
                            "text": (
                                "<p>En trettonårig flicka har hög frånvaro i skolan, har "
                                "vårdats på akuten efter en överdos av läkemedel och har "
                                "en pågående kontakt med barn- och ungdomspsykiatrin. "
                                "Skolan, BUP och socialtjänsten planerar var för sig "
                                "utan att veta vad de andra gör. Vårdnadshavarna upplever "
                                "att ingen tar ett helhetsansvar.</p>"
                                "<p>Hur kan en SIP bidra i den här situationen? Vem bör "
                                "kalla till möte, vilka bör delta och hur säkerställer ni "
                                "att flickan själv blir delaktig i planeringen?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Ta reda på tillsammans med din mentor vilka "
                        "samverkansöverenskommelser och forum som finns i er kommun, till "
                        "exempel för SIP, barnahus och SSPF. Vilka kontaktpersoner behöver "
                        "du känna till?",
                    ),
                ],
                "pass_mark": 70,
                "questions": [
                    {
                        "kind": "single",
                        "text": (
                            "Kan en lärare som misstänker att en elev far illa överlåta sin "
                            "anmälningsskyldighet till rektorn?"
                        ),
                        "choices": [
                            ("Nej, anmälningsskyldigheten är personlig", True),
                            ("Ja, om skolan har en rutin för det", False),
                            ("Ja, om läraren först har pratat med vårdnadshavarna", False),
                        ],
                        "explanation": (
                            "Anmälningsskyldigheten är personlig. Skolans rutiner kan ange "
                            "hur anmälan görs, men den enskilde läraren är fortfarande "
                            "ansvarig för att den blir gjord."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka förutsättningar gäller för att upprätta en SIP?",
                        "choices": [
                            (
                                "Barnet behöver insatser från både socialtjänst och hälso- "
                                "och sjukvård",
                                True,
                            ),
                            ("Kommunen eller regionen bedömer att en plan behövs", True),
                            ("Den enskilde, för barn i regel vårdnadshavarna, samtycker", True),
                            ("Polisen har inlett en förundersökning", False),
                        ],
                        "explanation": (
                            "En SIP upprättas när insatser behövs från både socialtjänst "
                            "och hälso- och sjukvård, när någon av huvudmännen bedömer att "
                            "det behövs och när den enskilde samtycker."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Var sker ofta samråd mellan socialtjänst, polis och åklagare vid "
                            "misstanke om våld eller sexuella övergrepp mot barn?"
                        ),
                        "choices": [
                            ("På ett barnahus", True),
                            ("På barnets skola", False),
                            ("Hos Inspektionen för vård och omsorg", False),
                        ],
                        "explanation": (
                            "Barnahus samlar socialtjänst, polis, åklagare och hälso- och "
                            "sjukvård under samma tak, så att barnet slipper möta många "
                            "myndigheter på olika platser."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka påståenden om samverkan och sekretess stämmer?",
                        "choices": [
                            (
                                "Den enskildes samtycke kan göra det möjligt att lämna ut "
                                "uppgifter",
                                True,
                            ),
                            ("Ett samtycke kan återkallas", True),
                            (
                                "Sekretessen gäller inte mellan myndigheter som samverkar "
                                "kring samma barn",
                                False,
                            ),
                        ],
                        "explanation": (
                            "Sekretess gäller även mellan myndigheter som samverkar. "
                            "Samtycke är ofta den enklaste vägen, men det kan när som helst "
                            "återkallas."
                        ),
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------
    # Kurs 2: Ledarskap för första linjens chefer i socialtjänsten
    # ------------------------------------------------------------------
    {
        "title": "Ledarskap för första linjens chefer i socialtjänsten",
        "slug": "ledarskap-forsta-linjens-chefer",
        "summary": (
            "En kohortbaserad kurs för enhetschefer och gruppledare i socialtjänstens "
            "myndighetsutövning. Kursen behandlar ledarskap i en politiskt styrd "
            "organisation, arbetsmiljö och ärendebelastning, introduktion av nyanställda samt "
            "ledarskap i förändring och kris, med reflektion i gruppen mellan träffarna."
        ),
        "audience": "managers",
        "kind": "cohort",
        "estimated_hours": 12,
        "credits": "7.5",
        "min_attendance_percent": 75,
        "learning_outcomes": [
            (
                "Förklara hur delegationsordningen fördelar beslutanderätt mellan nämnd, "
                "utskott och tjänstepersoner."
            ),
            (
                "Leda det systematiska arbetsmiljöarbetet med särskild uppmärksamhet på "
                "ärendebelastning."
            ),
            (
                "Planera en introduktion med skyddad ärendemängd, mentorskap och handledning "
                "för nyanställda socialsekreterare."
            ),
            "Främja en kunskapsbaserad verksamhet med lärande och återkoppling i vardagen.",
            (
                "Leda gruppen genom förändring och kris med hänsyn till arbetsmiljö, "
                "meddelarfrihet och lex Sarah."
            ),
        ],
        "modules": [
            # ----------------------------------------------------------
            # Modul 1
            # ----------------------------------------------------------
            {
                "title": "Att leda i en politiskt styrd organisation och delegationsordningen",
                "slug": "politiskt-styrd-organisation-och-delegation",
                "intro": (
                    "Som första linjens chef är du länken mellan den politiska nämnden och "
                    "medarbetarnas myndighetsutövning. Modulen ger en grund i kommunens "
                    "styrning och i hur delegation fungerar i praktiken."
                ),
                "estimated_minutes": 60,
                "body": [
                    ("heading", "Två roller i samma organisation"),
                    (
                        "paragraph",
                        "<p>Socialnämnden är en politiskt tillsatt nämnd som ansvarar för "
                        "socialtjänsten i kommunen. Nämnden beslutar om mål, inriktning och "
                        "budget inom de ramar som kommunfullmäktige har satt, och den bär "
                        "det formella ansvaret för myndighetsutövningen. Förvaltningen, med "
                        "dig som chef, verkställer nämndens beslut och tar fram sakliga "
                        "underlag. Enligt regeringsformen ska förvaltningen iaktta "
                        "saklighet och opartiskhet. Du behöver därför kunna hålla isär "
                        "professionella bedömningar och politiska prioriteringar, och "
                        "samtidigt ge de förtroendevalda den kunskap de behöver för att "
                        "fatta välgrundade beslut.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>I praktiken översätter du ofta i båda riktningarna. Till "
                        "nämnden förmedlar du vad som händer i verksamheten: behov, "
                        "brister, risker och resultat, gärna med stöd av uppföljningsdata "
                        "och avidentifierade exempel. Till medarbetarna förmedlar du "
                        "nämndens mål och beslut och förklarar bakgrunden. Var tydlig med "
                        "att nämnden beslutar om budget och prioriteringar, men att beslut "
                        "i enskilda ärenden ska fattas utifrån lag, den enskildes behov och "
                        "en saklig bedömning. Kostnaden kan påverka valet mellan likvärdiga "
                        "insatser, men den får aldrig leda till att ett barn blir utan det "
                        "skydd eller stöd som barnet har rätt till.</p>",
                    ),
                    ("heading", "Delegationsordningen"),
                    (
                        "paragraph",
                        "<p>Enligt kommunallagen får nämnden uppdra åt ett utskott, en "
                        "ledamot eller ersättare eller en anställd att besluta på nämndens "
                        "vägnar. Vem som får fatta vilka beslut framgår av nämndens "
                        "delegationsordning. Vissa ärenden får inte delegeras, bland annat "
                        "sådana som rör verksamhetens mål, inriktning, omfattning eller "
                        "kvalitet och ärenden av principiell beskaffenhet eller annars av "
                        "större vikt. I socialtjänsten finns dessutom särskilda regler: "
                        "flera beslut enligt LVU, till exempel att ansöka om vård hos "
                        "förvaltningsrätten, får bara delegeras till ett utskott av "
                        "förtroendevalda. Beslut som fattas med stöd av delegation ska "
                        "anmälas till nämnden.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Som chef har du ofta själv delegation, till exempel att inleda "
                        "utredning, bevilja vissa insatser eller besluta om placering med "
                        "samtycke. Den som beslutar på delegation gör det i nämndens "
                        "ställe, och beslutet kan överklagas på samma sätt som om nämnden "
                        "hade fattat det. Se till att medarbetarna vet vilka beslut de "
                        "själva får fatta, vilka som ska lyftas till dig och vilka som ska "
                        "gå till utskottet. Många delegationsordningar anger att delegaten "
                        "kan överlämna ett ärende till nämnden, vilket ofta är klokt när "
                        "ärendet är principiellt viktigt. Tänk också på reglerna om jäv i "
                        "förvaltningslagen.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: Samtalet från ordföranden",
                            "text": (
                                "<p>Nämndens ordförande ringer dig efter att ha blivit "
                                "kontaktad av en förälder som är upprörd över att hans "
                                "tolvåriga dotter har omhändertagits. Ordföranden vill "
                                "veta vad som har hänt och frågar om beslutet inte kan "
                                "ändras. Samtidigt har en lokaltidning hört av sig till "
                                "förvaltningen.</p>"
                                "<p>Vilken information kan du ge ordföranden, och i vilken "
                                "roll? Hur förklarar du skillnaden mellan nämndens ansvar "
                                "och en enskild förtroendevalds möjlighet att påverka ett "
                                "enskilt ärende? Vad behöver medarbetarna få veta?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Diskutera i gruppen: I vilka situationer har gränsen mellan politisk "
                        "styrning och professionell bedömning känts otydlig? Hur hanterade ni "
                        "det, och vad hade ni behövt?",
                    ),
                ],
                "pass_mark": 60,
                "questions": [
                    {
                        "kind": "multiple",
                        "text": "Vilka ärenden får enligt kommunallagen inte delegeras?",
                        "choices": [
                            (
                                "Ärenden som rör verksamhetens mål, inriktning, omfattning "
                                "eller kvalitet",
                                True,
                            ),
                            (
                                "Ärenden av principiell beskaffenhet eller annars av större vikt",
                                True,
                            ),
                            ("Beslut om att inleda en barnavårdsutredning", False),
                        ],
                        "explanation": (
                            "Kommunallagen undantar bland annat ärenden om verksamhetens mål "
                            "och kvalitet samt principiella ärenden från delegation. Beslut "
                            "om att inleda utredning delegeras normalt till tjänsteperson."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Till vem får socialnämnden delegera beslut om att ansöka om vård "
                            "enligt LVU hos förvaltningsrätten?"
                        ),
                        "choices": [
                            ("Till ett utskott av ledamöter eller ersättare i nämnden", True),
                            ("Till enhetschefen", False),
                            ("Till den handläggande socialsekreteraren", False),
                        ],
                        "explanation": (
                            "Vissa beslut enligt LVU, som ansökan om vård, får bara "
                            "delegeras till ett utskott av förtroendevalda, inte till "
                            "anställda."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": "Vad gäller för beslut som fattas med stöd av delegation?",
                        "choices": [
                            ("De fattas i nämndens ställe och ska anmälas till nämnden", True),
                            (
                                "De är tjänstepersonens egna beslut och kan inte överklagas",
                                False,
                            ),
                            ("De måste godkännas av nämnden innan de börjar gälla", False),
                        ],
                        "explanation": (
                            "Ett delegationsbeslut är nämndens beslut. Det gäller direkt, "
                            "kan överklagas på samma sätt som andra nämndbeslut och ska "
                            "anmälas till nämnden."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka principer ska förvaltningen iaktta enligt regeringsformen?",
                        "choices": [
                            ("Saklighet", True),
                            ("Opartiskhet", True),
                            ("Lojalitet mot den politiska majoriteten i enskilda ärenden", False),
                        ],
                        "explanation": (
                            "Regeringsformen kräver saklighet och opartiskhet samt att "
                            "allas likhet inför lagen beaktas. Enskilda ärenden avgörs "
                            "utifrån lag, inte politisk tillhörighet."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 2
            # ----------------------------------------------------------
            {
                "title": "Arbetsmiljö, ärendebelastning och skyddad ärendemängd",
                "slug": "arbetsmiljo-arendebelastning-och-skyddad-arendemangd",
                "intro": (
                    "Hög ärendebelastning och personalomsättning är återkommande problem i "
                    "socialtjänsten. Modulen ger verktyg för att leda arbetsmiljöarbetet och "
                    "skapa rimliga förutsättningar för medarbetarna."
                ),
                "estimated_minutes": 60,
                "body": [
                    ("heading", "Chefens arbetsmiljöansvar"),
                    (
                        "paragraph",
                        "<p>Enligt arbetsmiljölagen har arbetsgivaren huvudansvaret för "
                        "arbetsmiljön. I kommunen fördelas arbetsmiljöuppgifter i linjen, "
                        "och som första linjens chef har du ofta fått sådana uppgifter. "
                        "Fördelningen bör vara skriftlig, och du ska ha de befogenheter, "
                        "resurser och kunskaper som krävs för att utföra dem. Saknar du "
                        "något av detta ska du returnera uppgiften, helt eller delvis, till "
                        "din närmaste chef. Det systematiska arbetsmiljöarbetet innebär att "
                        "regelbundet undersöka arbetsförhållandena, bedöma risker, vidta "
                        "åtgärder och följa upp att de fungerat, i samverkan med "
                        "medarbetare och skyddsombud.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Arbetsmiljöverkets regler om organisatorisk och social "
                        "arbetsmiljö kräver att de arbetsuppgifter och befogenheter som "
                        "medarbetarna får inte leder till ohälsosam arbetsbelastning. "
                        "Resurserna ska anpassas till kraven i arbetet, och medarbetarna "
                        "ska veta vilka uppgifter som har prioritet när tiden inte räcker. "
                        "Du behöver alltså veta hur belastningen faktiskt ser ut i gruppen "
                        "och kunna ge besked om vad som kan vänta. Om en ohälsosam "
                        "belastning inte går att åtgärda inom dina befogenheter ska du "
                        "lyfta frågan till din chef, med ett tydligt underlag om risker och "
                        "konsekvenser.</p>",
                    ),
                    ("heading", "Ärendebelastning och skyddad ärendemängd"),
                    (
                        "paragraph",
                        "<p>Antalet ärenden säger i sig lite om belastningen. Några få "
                        "utredningar med hedersproblematik, allvarligt våld eller "
                        "tvångsvård kan kräva betydligt mer tid än ett större antal "
                        "enklare uppföljningar. Många verksamheter använder därför viktning "
                        "efter komplexitet eller regelbundna belastningssamtal, där "
                        "medarbetare och chef går igenom ärendelistan tillsammans. Oavsett "
                        "modell bör fördelningen vara transparent, så att medarbetarna "
                        "förstår hur nya ärenden fördelas. Följ också indikatorer som "
                        "sjukfrånvaro, övertid, överskridna utredningstider och "
                        "personalomsättning, eftersom de ofta visar problem innan de blir "
                        "akuta.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Nyanställda socialsekreterare bör ha en skyddad ärendemängd "
                        "under den första tiden. Det innebär färre och mindre komplexa "
                        "ärenden, som ökar successivt i takt med erfarenheten. Nyanställda "
                        "bör inte ensamma ansvara för ärenden som rör tvångsvård, "
                        "hedersrelaterat våld eller allvarliga hot, utan arbeta tillsammans "
                        "med en erfaren kollega. Skyddet behöver formuleras konkret, till "
                        "exempel som antal och typ av ärenden under de första sex "
                        "månaderna, och följas upp i regelbundna samtal. Skyddet luckras "
                        "lätt upp när belastningen i gruppen ökar, och just därför behöver "
                        "du som chef bevaka det särskilt.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: Två erfarna slutar samtidigt",
                            "text": (
                                "<p>I en utredningsgrupp med åtta socialsekreterare säger "
                                "två erfarna medarbetare upp sig samma månad. Deras "
                                "ärenden måste fördelas om, och två nyanställda som började "
                                "för tre månader sedan erbjuder sig att ta fler ärenden. "
                                "Skyddsombudet har samtidigt påtalat att flera i gruppen "
                                "sover dåligt och arbetar på kvällarna.</p>"
                                "<p>Hur går du tillväga för att bedöma risker och "
                                "prioritera? Vilka ärenden kan vänta, vilka måste fördelas "
                                "direkt, och vad behöver du lyfta till din egen chef?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Beskriv för gruppen hur ni i dag mäter och samtalar om "
                        "arbetsbelastning i er enhet. Vilken förändring skulle göra störst "
                        "skillnad för medarbetarnas förutsättningar?",
                    ),
                ],
                "pass_mark": 60,
                "questions": [
                    {
                        "kind": "single",
                        "text": (
                            "Du har fått arbetsmiljöuppgifter men saknar befogenheter eller "
                            "resurser att utföra dem. Vad bör du göra?"
                        ),
                        "choices": [
                            (
                                "Returnera uppgiften, helt eller delvis, till din närmaste chef",
                                True,
                            ),
                            ("Lämna över uppgiften till skyddsombudet", False),
                            ("Fortsätta som vanligt tills ett tillbud inträffar", False),
                        ],
                        "explanation": (
                            "Den som fått arbetsmiljöuppgifter måste ha befogenheter, "
                            "resurser och kunskaper. Saknas det ska uppgiften returneras. "
                            "Skyddsombudet företräder medarbetarna och tar inte över "
                            "arbetsgivarens ansvar."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": ("Vad kräver reglerna om organisatorisk och social arbetsmiljö?"),
                        "choices": [
                            ("Att resurserna anpassas till kraven i arbetet", True),
                            (
                                "Att medarbetarna vet vilka uppgifter som har prioritet när "
                                "tiden inte räcker",
                                True,
                            ),
                            (
                                "Att Arbetsmiljöverket fastställer ett högsta antal ärenden "
                                "per socialsekreterare",
                                False,
                            ),
                        ],
                        "explanation": (
                            "Reglerna ställer krav på balans mellan krav och resurser och på "
                            "tydliga prioriteringar. Något fastställt högsta antal ärenden "
                            "finns inte."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vilka indikatorer kan ge tidiga signaler om för hög belastning?",
                        "choices": [
                            ("Ökad sjukfrånvaro", True),
                            ("Överskridna utredningstider", True),
                            ("Ökad övertid", True),
                            ("Fler sökande till lediga tjänster", False),
                        ],
                        "explanation": (
                            "Sjukfrånvaro, övertid och överskridna tidsgränser är vanliga "
                            "tecken på att belastningen är för hög. Många sökande är "
                            "snarare ett tecken på en attraktiv arbetsplats."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": "Vad innebär skyddad ärendemängd för nyanställda?",
                        "choices": [
                            (
                                "Färre och mindre komplexa ärenden som ökar successivt i "
                                "takt med erfarenheten",
                                True,
                            ),
                            ("Att nyanställda inte har några egna ärenden första året", False),
                            ("Att nyanställda bara handlägger ärenden om tvångsvård", False),
                        ],
                        "explanation": (
                            "Skyddad ärendemängd ger nyanställda tid att lära sig. Antalet "
                            "och svårighetsgraden ökar successivt och följs upp av chefen."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 3
            # ----------------------------------------------------------
            {
                "title": (
                    "Att leda introduktion, handledning och kunskapsutveckling för nyanställda"
                ),
                "slug": "introduktion-handledning-och-kunskapsutveckling",
                "intro": (
                    "En genomtänkt introduktion minskar risken för tidig personalomsättning "
                    "och stärker kvaliteten i myndighetsutövningen. Modulen handlar om hur du "
                    "planerar, bemannar och följer upp introduktionen."
                ),
                "estimated_minutes": 50,
                "body": [
                    ("heading", "En strukturerad introduktion"),
                    (
                        "paragraph",
                        "<p>Den första tiden i yrket har stor betydelse för om en "
                        "nyanställd socialsekreterare stannar och utvecklas. Introduktionen "
                        "bör vara planerad innan medarbetaren börjar, med en tydlig plan "
                        "för de första veckorna och för hela det första året. Den bör "
                        "innehålla både praktiska delar, som system, rutiner och säkerhet, "
                        "och fördjupning i lagstiftning, BBIC, samtalsmetodik och "
                        "dokumentation. En mentor bör utses från start. Som chef ansvarar "
                        "du för att planen följs, att mentorn har avsatt tid för uppdraget "
                        "och att introduktionen följs upp i regelbundna avstämningar.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>För handläggning av ärenden som rör barn och unga finns sedan "
                        "2014 lagstadgade behörighetskrav. Som huvudregel krävs "
                        "socionomexamen eller annan relevant examen på grundläggande "
                        "högskolenivå. Examen betyder dock inte att medarbetaren är "
                        "förberedd för allt som arbetet innebär. Nyanställda behöver möta "
                        "svåra ärenden successivt, gärna först som medhandläggare, och få "
                        "återkoppling på sina utredningar och sin dokumentation. Det tar i "
                        "regel flera år att bli en erfaren utredare, och det är chefens "
                        "uppgift att se till att medarbetarens ansvar växer i samma takt "
                        "som kompetensen.</p>",
                    ),
                    ("heading", "Handledning och kunskapsutveckling"),
                    (
                        "paragraph",
                        "<p>Handledning är ett av de viktigaste verktygen för att utveckla "
                        "professionell kompetens och hantera arbetets känslomässiga "
                        "påfrestningar. Skilj mellan olika former. Ärende- och "
                        "metodhandledning handlar om hur enskilda ärenden kan förstås och "
                        "hanteras. Processhandledning, som ofta leds av en extern "
                        "handledare, ger utrymme att reflektera över egna reaktioner, "
                        "gruppens samspel och arbetets villkor. Se till att handledningen "
                        "är regelbunden, att den prioriteras även när belastningen är hög "
                        "och att den inte blandas ihop med den arbetsledning och de beslut "
                        "som ligger på dig som chef.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Socialtjänsten ska vara kunskapsbaserad, något som den nya "
                        "socialtjänstlagen lyfter fram särskilt. Arbetet ska vila på en "
                        "sammanvägning av bästa tillgängliga kunskap från forskning, den "
                        "professionella erfarenheten och den enskildes erfarenheter och "
                        "önskemål. För dig som chef handlar det om att skapa utrymme för "
                        "lärande i vardagen: ärendedragningar där resonemangen blir "
                        "synliga, gemensam läsning av Socialstyrelsens vägledningar, "
                        "uppföljning av resultat och systematisk återkoppling. Ta också "
                        "vara på de nyanställdas frågor. De ser rutinerna med nya ögon och "
                        "kan bidra till att verksamheten utvecklas.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "info",
                            "title": "Byggstenar i en introduktionsplan",
                            "text": (
                                "<ul>"
                                "<li>Genomgång av rutinen för hot och våld första "
                                "veckan.</li>"
                                "<li>Auskultation hos erfarna kollegor och "
                                "medhandläggning av utredningar.</li>"
                                "<li>Fasta avstämningar med mentor varje vecka och med "
                                "chef varje månad.</li>"
                                "<li>Samlad uppföljning efter sex och tolv månader.</li>"
                                "</ul>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: En nyanställd som inte säger ifrån",
                            "text": (
                                "<p>En socialsekreterare som började för fyra månader "
                                "sedan verkar ha allt under kontroll. Vid en genomgång ser "
                                "du att två förhandsbedömningar har dragit över tiden och "
                                "att en utredning om en sjuårig pojke saknar samtal med "
                                "barnet. Mentorn har varit sjukskriven i flera veckor och "
                                "ingen har tagit över uppdraget.</p>"
                                "<p>Hur tar du upp situationen med medarbetaren utan att "
                                "skuldbelägga? Vilka brister i introduktionen behöver "
                                "åtgärdas, och hur säkerställer du att pojken får komma "
                                "till tals i utredningen?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Jämför i gruppen hur era introduktionsplaner ser ut i dag. Vad "
                        "fungerar, och vad händer med introduktionen när belastningen ökar "
                        "eller när en mentor blir frånvarande?",
                    ),
                ],
                "pass_mark": 60,
                "questions": [
                    {
                        "kind": "multiple",
                        "text": (
                            "Vilka kunskapskällor vägs samman i en kunskapsbaserad socialtjänst?"
                        ),
                        "choices": [
                            ("Bästa tillgängliga kunskap från forskning", True),
                            ("Den professionella erfarenheten", True),
                            ("Den enskildes erfarenheter och önskemål", True),
                            ("Nämndens budgetramar", False),
                        ],
                        "explanation": (
                            "En kunskapsbaserad praktik väger samman forskning, "
                            "professionens erfarenhet och den enskildes erfarenheter. "
                            "Budgeten är en förutsättning, inte en kunskapskälla."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": "Vad kännetecknar processhandledning?",
                        "choices": [
                            (
                                "Reflektion över egna reaktioner, gruppens samspel och "
                                "arbetets villkor, ofta med extern handledare",
                                True,
                            ),
                            ("Chefens genomgång av beslut i enskilda ärenden", False),
                            ("Utbildning i verksamhetssystemet", False),
                        ],
                        "explanation": (
                            "Processhandledning fokuserar på reflektion och gruppens "
                            "processer. Den skiljer sig från ärendehandledning och från "
                            "chefens arbetsledning."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": "Vad bör ingå i en strukturerad introduktion?",
                        "choices": [
                            ("En plan som är klar innan medarbetaren börjar", True),
                            ("En utsedd mentor med avsatt tid", True),
                            ("Regelbundna avstämningar och uppföljning", True),
                            ("Fullt ärendeansvar från första veckan", False),
                        ],
                        "explanation": (
                            "Planering, mentorskap och uppföljning är grunden i en god "
                            "introduktion. Ansvaret ska öka successivt, inte vara fullt från "
                            "start."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Vilket behörighetskrav gäller som huvudregel för den som "
                            "handlägger ärenden om barn och unga?"
                        ),
                        "choices": [
                            (
                                "Socionomexamen eller annan relevant examen på "
                                "grundläggande högskolenivå",
                                True,
                            ),
                            ("Minst fem års erfarenhet av socialt arbete", False),
                            ("Legitimation utfärdad av Socialstyrelsen", False),
                        ],
                        "explanation": (
                            "Behörighetskravet avser utbildning, som huvudregel "
                            "socionomexamen. Det finns ingen legitimation för "
                            "socialsekreterare."
                        ),
                    },
                ],
            },
            # ----------------------------------------------------------
            # Modul 4
            # ----------------------------------------------------------
            {
                "title": "Att leda i förändring och kris",
                "slug": "att-leda-i-forandring-och-kris",
                "intro": (
                    "Hot mot medarbetare, uppmärksamhet i medier och allvarliga "
                    "missförhållanden ställer särskilda krav på ledarskapet. Modulen ger "
                    "stöd för hur du agerar och skapar trygghet i gruppen."
                ),
                "estimated_minutes": 60,
                "body": [
                    ("heading", "Förändring med arbetsmiljön i fokus"),
                    (
                        "paragraph",
                        "<p>Socialtjänsten förändras ständigt genom ny lagstiftning, "
                        "omorganisationer, nya arbetssätt och ändrade budgetramar. Den nya "
                        "socialtjänstlagen, som trädde i kraft den 1 juli 2025, påverkar "
                        "rutiner och arbetssätt under flera år. När en förändring planeras "
                        "ska arbetsgivaren bedöma om den medför risker för ohälsa eller "
                        "olycksfall. Inför viktigare förändringar i verksamheten eller i "
                        "arbets- och anställningsförhållanden har arbetsgivaren dessutom "
                        "förhandlingsskyldighet enligt medbestämmandelagen. Involvera "
                        "medarbetare och skyddsombud tidigt, förklara varför förändringen "
                        "görs och var öppen med det som ännu inte är bestämt.</p>",
                    ),
                    ("heading", "Kris: hot, medier och missförhållanden"),
                    (
                        "paragraph",
                        "<p>När en medarbetare har utsatts för hot eller våld behöver du "
                        "agera snabbt och samtidigt sakligt. Säkerställ först medarbetarens "
                        "omedelbara säkerhet och ta ställning till om polis behöver "
                        "kontaktas. Erbjud krisstöd och se till att medarbetaren inte går "
                        "hem ensam efter en allvarlig händelse. Gör en ny riskbedömning för "
                        "ärendet och för gruppen, dokumentera händelsen och rapportera den "
                        "enligt rutinen. Allvarliga tillbud och arbetsskador ska anmälas "
                        "till Arbetsmiljöverket. Följ upp med medarbetaren under de "
                        "kommande veckorna, eftersom reaktioner ibland kommer först efter "
                        "en tid.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Socialtjänsten granskas ofta i medier, och uppmärksamheten kan "
                        "gälla både enskilda ärenden och verksamheten i stort. Sekretessen "
                        "hindrar er från att kommentera enskilda ärenden, även när en "
                        "familj själv har gått ut med sin version. Det kan kännas "
                        "frustrerande för medarbetarna. Samarbeta med kommunens "
                        "kommunikatörer, var tydlig med vem som uttalar sig och erbjud stöd "
                        "till berörda medarbetare. Kom ihåg att offentligt anställda har "
                        "meddelarfrihet: de har, med vissa undantag, rätt att lämna "
                        "uppgifter till medier för publicering. Du får inte efterforska vem "
                        "som har lämnat uppgifter eller vidta åtgärder mot den som har "
                        "använt sin meddelarfrihet.</p>",
                    ),
                    (
                        "paragraph",
                        "<p>Lex Sarah innebär att den som fullgör uppgifter inom "
                        "socialtjänsten ska rapportera missförhållanden och påtagliga "
                        "risker för missförhållanden. Det kan till exempel vara en "
                        "utredning om ett barn i behov av skydd som blivit liggande, ett "
                        "beslut som inte verkställts eller en placering där barnet inte "
                        "fått god vård. Verksamheten ska dokumentera, utreda och avhjälpa "
                        "eller undanröja missförhållandet. Allvarliga missförhållanden och "
                        "påtagliga risker för sådana ska anmälas till Inspektionen för vård "
                        "och omsorg (IVO). Hur du som chef tar emot en rapport är "
                        "avgörande: den är ett bidrag till kvalitetsarbetet, inte ett "
                        "misslyckande eller en anklagelse.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Efterforskningsförbud och repressalieförbud",
                            "text": (
                                "<p>Försök aldrig ta reda på vem som har talat med en "
                                "journalist, och låt inte misstankar påverka hur du "
                                "bemöter en medarbetare. Efterforskning och repressalier "
                                "mot den som har använt sin meddelarfrihet är förbjudna "
                                "enligt grundlag och kan vara straffbara.</p>"
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "vignette",
                            "title": "Vinjett: En händelse som når medierna",
                            "text": (
                                "<p>En femtonårig flicka som är placerad på ett HVB har "
                                "avvikit flera gånger och skadats allvarligt under en av "
                                "avvikningarna. En kvällstidning publicerar en artikel där "
                                "en anhörig kritiserar socialtjänsten för att inte ha "
                                "lyssnat på oron. Handläggaren är skakad och har fått "
                                "hotfulla meddelanden i sociala medier. Flera i gruppen "
                                "undrar om de kommer att pekas ut.</p>"
                                "<p>Vad behöver du göra under det första dygnet och den "
                                "första veckan? Hur hanterar du lex Sarah, kontakten med "
                                "medierna och stödet till handläggaren och gruppen "
                                "parallellt?</p>"
                            ),
                        },
                    ),
                    (
                        "reflection",
                        "Diskutera i gruppen hur lex Sarah-rapporter tas emot i era "
                        "verksamheter. Vad uppmuntrar medarbetarna att rapportera, och vad "
                        "kan få dem att avstå?",
                    ),
                ],
                "pass_mark": 60,
                "questions": [
                    {
                        "kind": "multiple",
                        "text": "Vilka skyldigheter följer av lex Sarah?",
                        "choices": [
                            (
                                "Att rapportera missförhållanden och påtagliga risker för "
                                "missförhållanden",
                                True,
                            ),
                            (
                                "Att utreda och avhjälpa eller undanröja missförhållandet",
                                True,
                            ),
                            ("Att anmäla allvarliga missförhållanden till IVO", True),
                            ("Att i första hand informera medierna", False),
                        ],
                        "explanation": (
                            "Lex Sarah omfattar rapportering, dokumentation, utredning och "
                            "åtgärder samt anmälan till IVO vid allvarliga "
                            "missförhållanden. Syftet är att förbättra verksamhetens "
                            "kvalitet."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "En medarbetare misstänks ha berättat för en journalist om "
                            "brister i verksamheten. Vad gäller?"
                        ),
                        "choices": [
                            (
                                "Du får inte efterforska uppgiftslämnaren eller vidta "
                                "åtgärder mot hen",
                                True,
                            ),
                            (
                                "Du ska ta reda på vem det var för att kunna ge en varning",
                                False,
                            ),
                            ("Du ska begära att journalisten avslöjar sin källa", False),
                        ],
                        "explanation": (
                            "Meddelarfriheten skyddas av grundlag genom efterforsknings- och "
                            "repressalieförbud. Som chef i offentlig verksamhet får du inte "
                            "försöka ta reda på vem källan är."
                        ),
                    },
                    {
                        "kind": "single",
                        "text": (
                            "Vad ska arbetsgivaren göra när ändringar i verksamheten planeras?"
                        ),
                        "choices": [
                            (
                                "Bedöma risker för ohälsa och olycksfall i förväg",
                                True,
                            ),
                            ("Invänta att medarbetarna själva rapporterar problem", False),
                            ("Utvärdera arbetsmiljön ett år efter förändringen", False),
                        ],
                        "explanation": (
                            "Riskbedömningen ska göras innan förändringen genomförs, så att "
                            "risker kan förebyggas. Uppföljning i efterhand räcker inte."
                        ),
                    },
                    {
                        "kind": "multiple",
                        "text": (
                            "Vilka åtgärder är lämpliga när en medarbetare har utsatts för "
                            "ett allvarligt hot?"
                        ),
                        "choices": [
                            ("Säkerställa medarbetarens omedelbara säkerhet", True),
                            ("Erbjuda krisstöd och följa upp under kommande veckor", True),
                            ("Göra en ny riskbedömning för ärendet", True),
                            (
                                "Låta medarbetaren själv avgöra om händelsen ska dokumenteras",
                                False,
                            ),
                        ],
                        "explanation": (
                            "Säkerhet, stöd, ny riskbedömning och dokumentation är chefens "
                            "ansvar. Händelsen ska alltid dokumenteras och rapporteras enligt "
                            "rutinen."
                        ),
                    },
                ],
            },
        ],
    },
]


# ----------------------------------------------------------------------
# Kursomgångar för ledarskapskursen (datum som ISO-text, tider som "HH:MM")
# ----------------------------------------------------------------------
LEADERSHIP_RUNS: list[dict] = [
    {
        "name": "Vintern 2026–2027, Lund",
        "start_date": "2026-12-02",
        "end_date": "2027-02-24",
        "enrolment_deadline": "2026-11-27",
        "place": "Stadshuset, Stortorget 7, Lund",
        "online_url": "",
        "seats": 5,
        "sessions": [
            ("2026-12-02", "09:00", "16:00", ""),
            ("2027-01-13", "09:00", "16:00", ""),
            ("2027-02-03", "09:00", "12:00", "Kulturen, Tegnérsplatsen, Lund"),
            ("2027-02-24", "09:00", "16:00", ""),
        ],
    },
    {
        "name": "Våren 2027, på distans",
        "start_date": "2027-01-20",
        "end_date": "2027-03-31",
        "enrolment_deadline": "2027-01-08",
        "place": "",
        "online_url": "https://mote.example.org/ledarskap-varen-2027",
        "seats": 20,
        "sessions": [
            ("2027-01-20", "13:00", "16:00", ""),
            ("2027-02-17", "13:00", "16:00", ""),
            ("2027-03-10", "13:00", "16:00", ""),
            ("2027-03-31", "13:00", "16:00", ""),
        ],
    },
]
