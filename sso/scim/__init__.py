"""SCIM 2.0 provisioning from a municipality's directory (katalogsynk): /scim/v2/.

Parsing, validation and serialising of SCIM payloads, filters and PATCH operations are
scim2-models' (pydantic models of RFC 7643/7644); this package maps them onto people's
services and scopes every read and write to the token's municipality.
"""
