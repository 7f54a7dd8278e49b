#!/usr/bin/env python3
"""Writes the scenario files under tests/scenarios/<decision>/.

The JSON files are the tests; this script only saves typing. Every expectation below is written by
hand from CONTRACT.md section 5 (never copied from the engine's output). Run it from the repository
root after editing: python3 tests/scenarios/generate.py
"""
import json, os, shutil

ROOT = os.path.dirname(os.path.abspath(__file__))
LEAD = "91350200MA8RXK2J4Q"
FIN = "consortium.members[0].financials"

def write(decision, name, base, expect, set=None, remove=None, as_of=None, description=""):
    d = os.path.join(ROOT, decision)
    os.makedirs(d, exist_ok=True)
    s = {"description": description or name.replace("-", " "), "base": f"../../../examples/{base}.json"}
    if set: s["set"] = set
    if remove: s["remove"] = remove
    if as_of: s["as_of"] = as_of
    s["decision"] = decision
    s["expect"] = expect
    with open(os.path.join(d, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(s, f, ensure_ascii=False, indent=2)
        f.write("\n")

def E(outcome, violated=(), review=(), **kw):
    e = {"outcome": outcome, "violated": list(violated), "review": list(review)}
    e.update(kw)
    return e

def grant(cite, subject, measure, amount):
    return {"kind": "grant", "cite": cite, "subject": subject, "measure": measure, "amount": amount}

# ------------------------------------------------------------------ filing
F = "eligible-filing"
def filing(name, expect, **kw):
    write("filing", name, F, expect, **kw)

filing("baseline-eligible", E("eligible", effects=[], missing=[]))
write("filing", "ineligible-example", "ineligible-filing", E("ineligible", ["6(1)", "6(2)3"]))
# 6(1) member counts: 8 members (6 enterprises, 2 others) in the base case.
filing("members-exactly-seven", E("eligible"), remove=["consortium.members[5]"], description="7 members, 5 enterprises, 2 others: every 6(1) bound exactly met")
filing("members-six", E("ineligible", ["6(1)"]), remove=["consortium.members[5]", "consortium.members[4]"], description="6 members, one short")
filing("enterprises-five", E("eligible"), set={"consortium.members[5].kind": "university", "consortium.members[5].research_team": True}, description="5 enterprises: exactly the bound")
filing("enterprises-four", E("ineligible", ["6(1)"]), set={"consortium.members[4].kind": "university", "consortium.members[4].research_team": True, "consortium.members[5].kind": "university", "consortium.members[5].research_team": True}, description="4 enterprises, one short of 5")
filing("others-one", E("ineligible", ["6(1)"]), set={"consortium.members[7].kind": "enterprise"}, description="1 non-enterprise, one short of 2")
# 6 known enterprises would pass either way, but an unknown kind may be a university, which needs a research team (6(3)2).
filing("member-kind-unknown", E("undetermined", missing=["consortium.members[91350200MA8RXK7F9P].kind", "consortium.members[91350200MA8RXK7F9P].research_team"]), remove=["consortium.members[5].kind"])
filing("members-absent", E("undetermined"), remove=["consortium.members"])
# 6(2)1 revenue (原则上) for fiscal year 2025 (as_of 2026-09-15).
filing("revenue-at-threshold", E("eligible"), set={FIN + "[2].main_business_revenue": "500000000"})
filing("revenue-one-yuan-below", E("needs_review", review=["6(2)1"]), set={FIN + "[2].main_business_revenue": "499999999"})
filing("revenue-one-yuan-above", E("eligible"), set={FIN + "[2].main_business_revenue": "500000001"})
filing("revenue-unknown", E("undetermined", missing=["consortium.members[lead].financials[2025].main_business_revenue"]), remove=[FIN + "[2].main_business_revenue"])
filing("revenue-year-missing", E("undetermined", missing=[
    "consortium.members[lead].financials[2025].main_business_revenue",
    "consortium.members[lead].financials[2025].rnd_expense",
    "consortium.members[lead].financials[2025].sales_revenue"]), remove=[FIN + "[2]"])
filing("revenue-below-and-hard-failure", E("ineligible", ["6(2)1"], ["6(2)1"]), set={FIN + "[2].main_business_revenue": "420000000", "consortium.members[0].tech_enterprise": False}, description="one cite both violated and review")
# 6(2)1 enterprise conditions
for field, name in [("tech_enterprise", "not-tech-enterprise"), ("office_in_xiamen", "office-outside-xiamen"), ("rnd_site_in_xiamen", "rnd-site-outside-xiamen"),
                    ("attested.internal_controls", "weak-internal-controls"), ("attested.industry_influence", "weak-industry-influence"), ("attested.resource_integration", "no-resource-integration")]:
    filing("lead-" + name, E("ineligible", ["6(2)1"]), set={"consortium.members[0]." + field: False})
filing("lead-tech-enterprise-unknown", E("undetermined", missing=["consortium.members[lead].tech_enterprise"]), remove=["consortium.members[0].tech_enterprise"])
# 6(2)1 medical institutions (生命健康)
MED = {"consortium.members[0].kind": "medical_institution", "consortium.field": "life_health"}
filing("medical-lead-tertiary-a", E("eligible"), set={**MED, "consortium.members[0].hospital_grade": "tertiary_a"})
filing("medical-lead-outside-life-health", E("ineligible", ["6(2)1"]), set={**MED, "consortium.field": "new_energy", "consortium.members[0].hospital_grade": "tertiary_a"})
filing("medical-lead-tertiary-b", E("ineligible", ["6(2)1"]), set={**MED, "consortium.members[0].hospital_grade": "tertiary_b", "consortium.members[0].national_regional_medical_center": False})
filing("medical-lead-tertiary-b-centre-unknown", E("undetermined", missing=["consortium.members[lead].national_regional_medical_center", "consortium.members[lead].source_hospital_grade", "consortium.members[lead].xiamen_implementation_capacity"]), set={**MED, "consortium.members[0].hospital_grade": "tertiary_b"})
REG = {**MED, "consortium.members[0].hospital_grade": "tertiary_b", "consortium.members[0].national_regional_medical_center": True, "consortium.members[0].source_hospital_grade": "tertiary_a"}
filing("medical-lead-regional-centre", E("eligible"), set={**REG, "consortium.members[0].xiamen_implementation_capacity": True})
filing("medical-lead-regional-centre-no-capacity", E("ineligible", ["6(2)1"]), set={**REG, "consortium.members[0].xiamen_implementation_capacity": False})
filing("medical-lead-regional-centre-source-tertiary-b", E("ineligible", ["6(2)1"]), set={**REG, "consortium.members[0].source_hospital_grade": "tertiary_b", "consortium.members[0].xiamen_implementation_capacity": True})
filing("medical-lead-grade-unknown", E("undetermined"), set=MED)
filing("medical-lead-no-revenue-test", E("eligible"), set={**MED, "consortium.members[0].hospital_grade": "tertiary_a", FIN + "[2].main_business_revenue": "1000", FIN + "[2].rnd_expense": "0"}, description="revenue and R&D thresholds do not apply to a hospital")
# other kinds of lead
filing("new-rnd-institution-lead", E("needs_review", review=["6(2)1"]), set={"consortium.members[0].kind": "new_rnd_institution"})
filing("university-lead", E("ineligible", ["2"]), set={"consortium.members[0].kind": "university"})
filing("research-institute-lead", E("ineligible", ["2"]), set={"consortium.members[0].kind": "research_institute"})
filing("university-lead-without-rnd-team", E("ineligible", ["2", "6(2)2"]), set={"consortium.members[0].kind": "university", "consortium.members[0].fulltime_rnd_team": False}, description="6(2)2 applies to every kind of lead")
# 6(2)3 R&D: window 2023–2025; sales 1.15e9 + 1.29e9 + 1.43e9.
def rnd(a, b, c):
    return {FIN + "[0].rnd_expense": a, FIN + "[1].rnd_expense": b, FIN + "[2].rnd_expense": c}
filing("rnd-mean-at-threshold", E("eligible"), set=rnd("20000000", "20000000", "20000000"))
filing("rnd-mean-one-yuan-below", E("ineligible", ["6(2)3"]), set=rnd("19999999", "20000000", "20000000"), description="mean 19,999,999.67 and 1.55% of sales")
filing("rnd-mean-one-yuan-above", E("eligible"), set=rnd("20000001", "20000000", "20000000"))
SALES = {FIN + "[0].sales_revenue": "100000000", FIN + "[1].sales_revenue": "100000000", FIN + "[2].sales_revenue": "100000000"}
filing("rnd-share-at-three-percent", E("eligible"), set={**SALES, **rnd("3000000", "3000000", "3000000")})
filing("rnd-share-0.01-below", E("ineligible", ["6(2)3"]), set={**SALES, **rnd("2990000", "2990000", "2990000")}, description="2.99% of sales")
filing("rnd-share-0.01-above", E("eligible"), set={**SALES, **rnd("3010000", "3010000", "3010000")}, description="3.01% of sales")
filing("rnd-share-zero-sales", E("ineligible", ["6(2)3"]), set={FIN + "[0].sales_revenue": "0", FIN + "[1].sales_revenue": "0", FIN + "[2].sales_revenue": "0", **rnd("1000000", "1000000", "1000000")}, description="a zero sales total fails the ratio branch")
filing("rnd-year-missing", E("undetermined", missing=["consortium.members[lead].financials[2024].rnd_expense", "consortium.members[lead].financials[2024].sales_revenue"]), remove=[FIN + "[1]"])
filing("young-enterprise-window-cut", E("eligible"), set={"consortium.members[0].established_on": "2024-05-01", **rnd("1000", "15000000", "25000000")}, description="founded 2024: window 2024–2025, mean 20,000,000")
filing("young-enterprise-window-cut-below", E("ineligible", ["6(2)3"]), set={"consortium.members[0].established_on": "2024-05-01", **rnd("90000000", "15000000", "24999999")}, description="2023 is outside the cut window, so its large spend does not count")
# CONTRACT 5 "Young enterprise lead": no completed fiscal year, so no fact could settle revenue or the R&D window.
filing("young-enterprise-founded-this-year", E("needs_review", review=["6(2)1", "6(2)3"], missing=[]), set={"consortium.members[0].established_on": "2026-01-05"}, description="established in the year of as_of: revenue and R&D window give review, not unknown")
filing("young-enterprise-founded-after-as-of-year", E("needs_review", review=["6(2)1", "6(2)3"], missing=[]), set={"consortium.members[0].established_on": "2027-02-01"}, description="established after the year of as_of: review as well")
filing("young-enterprise-founded-last-year", E("eligible", missing=[]), set={"consortium.members[0].established_on": "2025-12-31", **rnd("1000", "1000", "25000000")}, description="one completed fiscal year (2025): judged on it")
filing("established-on-unknown", E("undetermined", missing=["consortium.members[lead].established_on"]), remove=["consortium.members[0].established_on"])
# 6(2)2, 6(2)3 frontier, 6(2)4
filing("lead-no-fulltime-team", E("ineligible", ["6(2)2"]), set={"consortium.members[0].fulltime_rnd_team": False})
filing("lead-no-cooperation-basis", E("ineligible", ["6(2)2"]), set={"consortium.members[0].attested.cooperation_basis": False})
filing("lead-no-activities-capacity", E("ineligible", ["6(2)2"]), set={"consortium.members[0].attested.activities_capacity": False})
filing("lead-platform-none", E("ineligible", ["6(2)2"]), set={"consortium.members[0].innovation_platform_level": "none"})
filing("lead-platform-municipal", E("eligible"), set={"consortium.members[0].innovation_platform_level": "municipal"})
filing("lead-platform-unknown", E("undetermined", missing=["consortium.members[lead].innovation_platform_level"]), remove=["consortium.members[0].innovation_platform_level"])
filing("lead-no-frontier-capability", E("ineligible", ["6(2)3"]), set={"consortium.members[0].attested.frontier_capability": False})
filing("lead-leads-another", E("needs_review", review=["6(2)4"]), set={"consortium.members[0].leads_other_consortia": 1})
filing("lead-leads-others-unknown", E("undetermined", missing=["consortium.members[lead].leads_other_consortia"]), remove=["consortium.members[0].leads_other_consortia"])
# 6(3)
filing("participant-no-cooperation", E("ineligible", ["6(3)1"]), set={"consortium.members[1].attested.cooperation_basis": False})
filing("participant-no-substantive-role", E("ineligible", ["6(3)1"]), set={"consortium.members[3].attested.substantive_role": False})
filing("participant-cooperation-unknown", E("undetermined", missing=["consortium.members[91350200MA8RXK3B7T].attested.cooperation_basis"]), remove=["consortium.members[1].attested.cooperation_basis"])
filing("university-without-research-team", E("ineligible", ["6(3)2"]), set={"consortium.members[6].research_team": False})
filing("university-research-team-unknown", E("undetermined", missing=["consortium.members[12100000426600211X].research_team"]), remove=["consortium.members[6].research_team"])
filing("enterprise-needs-no-research-team", E("eligible"), set={"consortium.members[1].research_team": False})
# 7 charter
filing("agreement-not-signed", E("ineligible", ["7"]), set={"consortium.agreement_signed": False})
for item, cite in [("decision_body", "7(1)"), ("technical_advisory_body", "7(2)"), ("chief_scientist_system", "7(2)"), ("standing_executive_body", "7(3)"),
                   ("funding_rules", "7(4)"), ("fund_supervision", "7(4)"), ("benefit_sharing", "7(5)"), ("open_development", "7(6)")]:
    filing("charter-without-" + item.replace("_", "-"), E("ineligible", [cite]), set={"consortium.charter." + item: False})
filing("charter-absent", E("undetermined"), remove=["consortium.charter"])
filing("chief-scientist-other", E("ineligible", ["7(2)"]), set={"consortium.chief_scientist.basis": "other"})
filing("chief-scientist-lead-technical-head", E("eligible"), set={"consortium.chief_scientist.basis": "lead_technical_head"})
filing("matching-funds-zero", E("ineligible", ["7(4)"]), set={"consortium.members[4].matching_funds": "0"})
filing("matching-funds-one-yuan", E("eligible"), set={"consortium.members[4].matching_funds": 1})
filing("matching-funds-unknown", E("undetermined", missing=["consortium.members[91350200MA8RXK6E2U].matching_funds"]), remove=["consortium.members[4].matching_funds"])
filing("agreement-unknown", E("undetermined", missing=["consortium.agreement_signed"]), remove=["consortium.agreement_signed"])
filing("chief-scientist-unknown", E("undetermined", missing=["consortium.chief_scientist"]), remove=["consortium.chief_scientist"])
# 8 application
filing("no-application-form", E("ineligible", ["8"]), set={"consortium.documents.application_form": False})
filing("no-formation-agreement", E("ineligible", ["8"]), set={"consortium.documents.formation_agreement": False})
filing("documents-unknown", E("undetermined", missing=["consortium.documents"]), remove=["consortium.documents"])
# CONTRACT 5.1: as precise as the facts allow.
M5 = "consortium.members[5]."
filing("member-kind-unknown-counts-hold", E("eligible", missing=[]), remove=[M5 + "kind"], set={M5 + "research_team": True}, description="5 known enterprises, 2 others, one member of unknown kind: the counts are 5–6 and 2–3, both pass")
filing("member-kind-unknown-counts-short", E("undetermined", missing=["consortium.members[91350200MA8RXK7F9P].kind"]), remove=[M5 + "kind"], set={M5 + "research_team": True, "consortium.members[4].kind": "university", "consortium.members[4].research_team": True}, description="4 known enterprises and one of unknown kind: 6(1) depends on it")
filing("member-kind-unknown-others-short", E("ineligible", ["6(1)"]), remove=[M5 + "kind", "consortium.members[4]", "consortium.members[3]"], set={M5 + "research_team": True}, description="6 members whatever the kind: too few either way")
M1 = "consortium.members[1]."
filing("lead-known-other-role-unknown", E("undetermined", missing=["consortium.members[91350200MA8RXK3B7T].role"]), remove=[M1 + "role"], description="one known lead: 8 is unknown, the lead rules are evaluated on it")
filing("lead-known-other-role-unknown-hard-failure", E("ineligible", ["6(2)1"]), remove=[M1 + "role"], set={"consortium.members[0].tech_enterprise": False}, description="the known lead fails a hard condition: ineligible whatever the other role is")
filing("lead-known-other-role-unknown-review", E("undetermined", review=["6(2)1"], missing=["consortium.members[91350200MA8RXK3B7T].role"]), remove=[M1 + "role"], set={FIN + "[2].main_business_revenue": "499999999"}, description="a review on the known lead does not outrank the unknown 8")
filing("lead-role-unknown-no-known-lead", E("undetermined", missing=["consortium.members[91350200MA8RXK2J4Q].role"]), remove=["consortium.members[0].role"], description="no member known to lead: the lead rules cannot be evaluated")
filing("two-leads", E("ineligible", ["8"]), set={"consortium.members[1].role": "lead"}, description="no rule about the lead is evaluated")
filing("no-lead", E("ineligible", ["8"]), set={"consortium.members[0].role": "core"})
# 17 bans at filing (as_of 2026-09-15)
def sanction(i, day, kind="lead_disqualified"):
    return {f"consortium.members[{i}].sanctions": [{"kind": kind, "decided_on": day}]}
filing("ban-lead-last-day", E("ineligible", ["17"]), set=sanction(0, "2023-09-15"), description="decided 2023-09-15: banned through 2026-09-15 = as_of")
filing("ban-lead-expired-day-before", E("eligible"), set=sanction(0, "2023-09-14"), description="ban ended 2026-09-14")
filing("ban-lead-decided-today", E("ineligible", ["17"]), set=sanction(0, "2026-09-15"))
filing("ban-lead-decided-tomorrow", E("eligible"), set=sanction(0, "2026-09-16"))
filing("ban-core-member", E("ineligible", ["17"]), set=sanction(2, "2025-01-01"))
filing("ban-general-member-unaffected", E("eligible"), set=sanction(3, "2025-01-01"))
filing("ban-other-sanction-kind", E("eligible"), set=sanction(0, "2025-01-01", "warning"))
filing("ban-sanctions-unknown", E("undetermined", missing=["consortium.members[91350200MA8RXK3B7T].sanctions"]), remove=["consortium.members[1].sanctions"])
FIN4 = [{"year": 2024, "main_business_revenue": "900000000", "sales_revenue": "900000000", "rnd_expense": "60000000"},
        {"year": 2025, "main_business_revenue": "900000000", "sales_revenue": "900000000", "rnd_expense": "60000000"},
        {"year": 2026, "main_business_revenue": "900000000", "sales_revenue": "900000000", "rnd_expense": "60000000"}]
filing("ban-leap-day-last-day", E("ineligible", ["17"]), as_of="2027-02-28", set={**sanction(0, "2024-02-29"), FIN: FIN4}, description="3 years from 2024-02-29 end on 2027-02-28")
filing("ban-leap-day-over", E("eligible"), as_of="2027-03-01", set={**sanction(0, "2024-02-29"), FIN: FIN4})
# 18
filing("before-in-force", E("not_in_force", ["18"]), as_of="2025-08-09")
filing("after-in-force", E("not_in_force", ["18"]), as_of="2028-08-10")

# ------------------------------------------------------------------ support
S = "support"
def support(name, expect, **kw):
    write("support", name, S, expect, **kw)
P = "2025YFB2500100"; L = "XM-PTS-2026-03"
G92 = lambda amt: grant("9(2)", P, "national_project_match", amt)
G105 = grant("10(5)", L, "public_platform_construction", "20000000")
G116 = grant("11(6)", None, "double_hundred_post", "1000000")
PRJ = "consortium.projects[0]."
support("baseline-entitled", E("entitled", effects=[G92("10000000"), G105, G116], missing=[]))
support("match-capped-by-rate", E("entitled", effects=[G92("8000000"), G105, G116]), set={PRJ + "national_funding": "16000000", PRJ + "provincial_funding": "0", PRJ + "total_investment": "100000000"})
support("match-rate-equals-cap", E("entitled", effects=[G92("10000000"), G105, G116]), set={PRJ + "national_funding": "20000000", PRJ + "provincial_funding": "0", PRJ + "total_investment": "100000000"})
support("match-capped-by-total-investment", E("entitled", effects=[G92("7000000"), G105, G116]), set={PRJ + "total_investment": "35000000"})
support("match-no-room-left", E("entitled", effects=[G105, G116]), set={PRJ + "total_investment": "28000000"}, description="room 0: no grant")
support("match-room-one-yuan", E("entitled", effects=[G92("1"), G105, G116]), set={PRJ + "total_investment": "28000001"})
support("match-negative-room", E("entitled", effects=[G105, G116]), set={PRJ + "total_investment": "27000000"})
support("match-exact-half-yuan", E("entitled", effects=[G92("3500000.5"), G105, G116]), set={PRJ + "national_funding": "7000001", PRJ + "provincial_funding": "0", PRJ + "total_investment": "100000000"})
support("match-university-undertaker", E("entitled", effects=[G105, G116]), set={PRJ + "undertaker": "12100000426600211X"})
support("match-undertaker-not-a-member", E("entitled", effects=[G105, G116]), set={PRJ + "undertaker": "91350200XXXXXXXXXX"})
support("match-provincial-unknown", E("undetermined", effects=[G105, G116], missing=["consortium.projects[2025YFB2500100].provincial_funding"]), remove=[PRJ + "provincial_funding"], description="certain grants are listed even when undetermined")
support("municipal-major-project", E("entitled", effects=[grant("9(1)", "XM-2026-001", "municipal_major_project", "20000000"), G92("10000000"), G105, G116]),
        set={"consortium.projects": [
            {"id": "2025YFB2500100", "kind": "national_major", "undertaker": "91350200MA8RXK3B7T", "national_funding": "24000000", "provincial_funding": "4000000", "total_investment": "60000000"},
            {"id": "XM-2026-001", "kind": "municipal_major", "undertaker": "91350200MA8RXK2J4Q"}]})
PL = "consortium.platforms[0]."
support("platform-planned", E("entitled", effects=[G92("10000000"), G105, G116]), set={PL + "status": "planned"})
support("national-platform-newly-approved", E("entitled", effects=[G92("10000000"), grant("10(4)", L, "national_platform_award", "30000000"), G116]), set={PL + "kind": "national_key_laboratory", PL + "status": "newly_approved"})
support("national-platform-reorganized", E("entitled", effects=[G92("10000000"), grant("10(4)", L, "national_platform_award", "30000000"), G116]), set={PL + "kind": "national_manufacturing_innovation_center", PL + "status": "reorganized"})
support("national-platform-completed", E("entitled", effects=[G92("10000000"), G116]), set={PL + "kind": "national_engineering_research_center", PL + "status": "completed"})
DONE = {PL + "status": "completed"}
support("public-platform-excellent-upgrade", E("entitled", effects=[G92("10000000"), grant("10(5)", L, "public_platform_rolling", "5000000"), grant("10(5)", L, "public_platform_performance_award", "1500000"), G116]), set={**DONE, PL + "performance": "excellent", PL + "upgrade_needed": True})
support("public-platform-excellent", E("entitled", effects=[G92("10000000"), grant("10(5)", L, "public_platform_performance_award", "1500000"), G116]), set={**DONE, PL + "performance": "excellent", PL + "upgrade_needed": False})
support("public-platform-good", E("entitled", effects=[G92("10000000"), grant("10(5)", L, "public_platform_performance_award", "1000000"), G116]), set={**DONE, PL + "performance": "good"})
support("public-platform-qualified", E("entitled", effects=[G92("10000000"), G116]), set={**DONE, PL + "performance": "qualified"})
support("public-platform-performance-unknown", E("undetermined", effects=[G92("10000000"), G116]), set=DONE)
CT = "consortium.core_team."
support("talent-at-bounds", E("entitled", effects=[G92("10000000"), G105, G116]), set={CT + "size": 10, CT + "national_talents": 1, CT + "municipal_b_or_above_talents": 3})
support("talent-team-nine", E("entitled", effects=[G92("10000000"), G105]), set={CT + "size": 9})
support("talent-no-national", E("entitled", effects=[G92("10000000"), G105]), set={CT + "national_talents": 0})
support("talent-two-municipal", E("entitled", effects=[G92("10000000"), G105]), set={CT + "municipal_b_or_above_talents": 2})
support("talent-team-unknown", E("undetermined", effects=[G92("10000000"), G105], missing=["consortium.core_team"]), remove=["consortium.core_team"])
support("mechanism-notable", E("entitled", effects=[G92("10000000"), G105, G116, grant("12(8)", "M1", "new_mechanism_award", "300000")]), set={"consortium.mechanisms": [{"id": "M1", "notable_results": True}]})
support("mechanism-not-notable", E("entitled", effects=[G92("10000000"), G105, G116]), set={"consortium.mechanisms": [{"id": "M1", "notable_results": False}]})
support("nothing-applies", E("none", effects=[]), set={"consortium.projects": [], "consortium.platforms": [], CT + "size": 3})
support("not-filed", E("undetermined", missing=["consortium.filed_on"]), remove=["consortium.filed_on"])
support("filed-after-as-of", E("not_applicable"), set={"consortium.filed_on": "2026-12-01"})
support("filed-on-as-of", E("entitled", effects=[G92("10000000"), G105, G116]), set={"consortium.filed_on": "2026-11-30"})
support("revoked", E("not_applicable"), set={"consortium.status": "revoked"})
support("status-unknown", E("undetermined", missing=["consortium.status"]), remove=["consortium.status"])
support("not-applicable-outranks-undetermined", E("not_applicable"), set={"consortium.filed_on": "2026-12-01"}, remove=["consortium.status"])
support("projects-unknown", E("undetermined", effects=[G105, G116], missing=["consortium.projects"]), remove=["consortium.projects"])
support("platforms-unknown", E("undetermined", effects=[G92("10000000"), G116], missing=["consortium.platforms"]), remove=["consortium.platforms"])
support("mechanisms-unknown", E("undetermined", effects=[G92("10000000"), G105, G116], missing=["consortium.mechanisms"]), remove=["consortium.mechanisms"])
support("talent-above-bounds", E("entitled", effects=[G92("10000000"), G105, G116]), set={CT + "size": 11, CT + "national_talents": 2, CT + "municipal_b_or_above_talents": 4})
support("not-in-force", E("not_in_force", ["18"]), as_of="2028-08-10")

# ------------------------------------------------------------------ annual_report
def annual(name, expect, **kw):
    write("annual_report", name, S, expect, **kw)
AR = "consortium.annual_reports[0]."
annual("baseline-compliant", E("compliant", missing=[]))
annual("submitted-on-deadline", E("compliant"), set={AR + "submitted_on": "2026-03-31"})
annual("submitted-a-day-late", E("non_compliant", ["14"]), set={AR + "submitted_on": "2026-04-01"})
annual("report-missing", E("non_compliant", ["14"]), set={"consortium.annual_reports": []})
annual("section-false", E("non_compliant", ["14"]), set={AR + "sections.promotion": False})
annual("section-unknown", E("undetermined", missing=["consortium.annual_reports[2025].sections.platforms"]), remove=[AR + "sections.platforms"])
annual("reports-unknown", E("undetermined", missing=["consortium.annual_reports"]), remove=["consortium.annual_reports"])
annual("deadline-not-yet-passed", E("compliant"), as_of="2026-03-31", set={"consortium.annual_reports": [], "consortium.conduct.decided_on": "2026-01-01"}, description="on the deadline day itself the report is not yet checked")
annual("deadline-passed-yesterday", E("non_compliant", ["14"]), as_of="2026-04-01", set={"consortium.annual_reports": []})
annual("earlier-year-missing", E("non_compliant", ["14"]), set={"consortium.filed_on": "2024-01-10"}, description="2024 and 2025 are due; only 2025 was filed")
CH = {"changed_on": "2026-05-01", "supplementary_agreement": True, "reported": True}
annual("member-change-in-order", E("compliant"), set={"consortium.member_changes": [CH]})
annual("member-change-without-agreement", E("non_compliant", ["14"]), set={"consortium.member_changes": [{**CH, "supplementary_agreement": False}]})
annual("member-change-not-reported", E("non_compliant", ["14"]), set={"consortium.member_changes": [{**CH, "reported": False}]})
annual("member-change-in-the-future", E("compliant"), set={"consortium.member_changes": [{**CH, "changed_on": "2026-12-01", "reported": False}]})
annual("member-change-on-as-of", E("non_compliant", ["14"]), set={"consortium.member_changes": [{**CH, "changed_on": "2026-11-30", "reported": False}]})
annual("member-change-report-unknown", E("undetermined", missing=["consortium.member_changes[0].reported"]), set={"consortium.member_changes": [{"changed_on": "2026-05-01", "supplementary_agreement": True}]})
annual("member-change-date-unknown-in-order", E("compliant", missing=[]), set={"consortium.member_changes": [{"supplementary_agreement": True, "reported": True}]}, description="whatever its date, the change has its agreement and its report")
annual("member-change-date-unknown-not-reported", E("undetermined", missing=["consortium.member_changes[0].changed_on"]), set={"consortium.member_changes": [{"supplementary_agreement": True, "reported": False}]}, description="unreported: non-compliant only if it happened by as_of")
annual("member-changes-unknown", E("undetermined", missing=["consortium.member_changes"]), remove=["consortium.member_changes"])
annual("not-filed", E("undetermined", missing=["consortium.filed_on"]), remove=["consortium.filed_on"])
annual("filed-after-as-of", E("not_applicable"), set={"consortium.filed_on": "2026-12-01"})
annual("not-in-force", E("not_in_force", ["18"]), as_of="2025-08-09")

# ------------------------------------------------------------------ evaluation
def evaluation(name, base, expect, **kw):
    write("evaluation", name, base, expect, **kw)
R = "evaluation-revoke"
EV = "consortium.evaluations"
REVOKE = {"kind": "revoke", "cite": "16", "subject": None}
evaluation("retain-no-evaluation-yet", S, E("retain", dates={"next_evaluation_due": "2028-10-20"}, effects=[]))
evaluation("revoke-withdrew", R, E("revoke", ["16"], effects=[REVOKE], dates={}))
evaluation("withdrew-with-good-reason", R, E("retain", dates={"next_evaluation_due": "2029-09-01"}), set={EV + "[1].good_reason": True})
evaluation("withdrew-reason-unknown", R, E("undetermined", missing=["consortium.evaluations[2].good_reason"]), remove=[EV + "[1].good_reason"])
evaluation("revoke-refused", R, E("revoke", ["16"], effects=[REVOKE]), set={EV + "[1].grade": "refused"})
evaluation("revoke-two-unqualified", R, E("revoke", ["16"], effects=[REVOKE]), set={EV + "[0].grade": "unqualified", EV + "[1].grade": "unqualified"})
evaluation("one-unqualified-after-qualified", R, E("retain", dates={"next_evaluation_due": "2029-09-01"}), set={EV + "[1].grade": "unqualified"})
evaluation("single-unqualified", S, E("retain", dates={"next_evaluation_due": "2031-10-20"}), set={EV: [{"cycle": 1, "completed_on": "2026-10-01", "grade": "unqualified", "good_reason": False}]})
evaluation("reward-excellent", R, E("reward", effects=[{"kind": "reward", "cite": "16", "subject": LEAD, "measure": "excellent_evaluation_award", "amount": "1000000"}], dates={"next_evaluation_due": "2029-09-01"}), set={EV + "[1].grade": "excellent"})
evaluation("reward-excellent-no-lead", R, E("reward", effects=[{"kind": "reward", "cite": "16", "subject": None, "measure": "excellent_evaluation_award", "amount": "1000000"}], missing=["consortium.members[lead].id"], dates={"next_evaluation_due": "2029-09-01"}), set={EV + "[1].grade": "excellent", "consortium.members[0].role": "core"}, description="the reward is certain; only whom it goes to is not")
evaluation("qualified-retain", R, E("retain", dates={"next_evaluation_due": "2029-09-01"}), set={EV + "[1].grade": "qualified"})
evaluation("provincial-centre-exempt", R, E("exempt", exempt=["15", "16"], effects=[], dates={}), set={"consortium.provincial_manufacturing_innovation_center": True})
evaluation("provincial-centre-unknown", R, E("undetermined", missing=["consortium.provincial_manufacturing_innovation_center"], effects=[]), remove=["consortium.provincial_manufacturing_innovation_center"], description="whether the exception holds is unknown, so the revocation is not certain")
evaluation("provincial-centre-overrides-revocation", R, E("exempt", exempt=["15", "16"], effects=[]), set={"consortium.provincial_manufacturing_innovation_center": True, EV + "[1].grade": "refused"})
evaluation("evaluations-unknown", R, E("undetermined", missing=["consortium.evaluations"]), remove=[EV])
evaluation("not-filed", R, E("undetermined", missing=["consortium.filed_on"]), remove=["consortium.filed_on"])
evaluation("filed-after-as-of", R, E("not_applicable"), set={"consortium.filed_on": "2027-02-01"})
evaluation("not-in-force", R, E("not_in_force", ["18"]), as_of="2028-08-10")

# ------------------------------------------------------------------ sanction
def sanction_case(name, expect, **kw):
    write("sanction", name, S, expect, **kw)
C = "consortium.conduct."
sanction_case("none", E("none", effects=[], missing=[]))
BAN = lambda day: {"kind": "ban", "cite": "17", "subject": LEAD, "roles": ["core", "lead"], "last_day": day}
sanction_case("breach", E("sanction", ["17"], effects=[{"kind": "revoke", "cite": "17", "subject": None}, BAN("2029-10-09")]), set={C + "lead_breached_agreement": True})
sanction_case("breach-leap-day", E("sanction", ["17"], effects=[{"kind": "revoke", "cite": "17", "subject": None}, BAN("2027-02-28")]), set={C + "lead_breached_agreement": True, C + "decided_on": "2024-02-29"})
sanction_case("false-materials", E("sanction", ["17"], effects=[{"kind": "clawback", "cite": "17", "subject": None}, {"kind": "misconduct_record", "cite": "17", "subject": None}]), set={C + "false_materials": True})
sanction_case("breach-and-false-materials", E("sanction", ["17"], effects=[{"kind": "revoke", "cite": "17", "subject": None}, BAN("2029-10-09"), {"kind": "clawback", "cite": "17", "subject": None}, {"kind": "misconduct_record", "cite": "17", "subject": None}]), set={C + "lead_breached_agreement": True, C + "false_materials": True})
BAN_NULL = {"kind": "ban", "cite": "17", "subject": None, "roles": ["core", "lead"], "last_day": "2029-10-09"}
sanction_case("breach-no-lead", E("sanction", ["17"], effects=[{"kind": "revoke", "cite": "17", "subject": None}, BAN_NULL], missing=["consortium.members[lead].id"]), set={C + "lead_breached_agreement": True, "consortium.members[0].role": "core"}, description="the breach is a fact; only the ban's subject is unknown")
sanction_case("breach-lead-role-unknown", E("sanction", ["17"], effects=[{"kind": "revoke", "cite": "17", "subject": None}, BAN_NULL], missing=["consortium.members[91350200MA8RXK2J4Q].role"]), set={C + "lead_breached_agreement": True}, remove=["consortium.members[0].role"])
sanction_case("breach-date-unknown", E("sanction", ["17"], effects=[{"kind": "revoke", "cite": "17", "subject": None}, {"kind": "ban", "cite": "17", "subject": LEAD, "roles": ["core", "lead"], "last_day": None}], missing=["consortium.conduct.decided_on"]), set={C + "lead_breached_agreement": True}, remove=[C + "decided_on"])
sanction_case("no-conduct-record", E("undetermined", missing=["consortium.conduct"]), remove=["consortium.conduct"])
sanction_case("breach-unknown", E("undetermined", missing=["consortium.conduct.lead_breached_agreement"]), remove=[C + "lead_breached_agreement"])
sanction_case("false-materials-unknown", E("undetermined", missing=["consortium.conduct.false_materials"]), remove=[C + "false_materials"])
sanction_case("in-force-first-day", E("none"), as_of="2025-08-10")
sanction_case("in-force-last-day", E("none"), as_of="2028-08-09")
sanction_case("before-in-force", E("not_in_force", ["18"]), as_of="2025-08-09")
sanction_case("after-in-force", E("not_in_force", ["18"]), as_of="2028-08-10")
