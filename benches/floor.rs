//! The floor to compare with: a hand-written Rust function that reads the same case into serde
//! structs and decides the same filing conditions, with nothing generic about it.

use serde::Deserialize;

#[derive(Deserialize)]
pub struct Case {
    pub as_of: String,
    pub consortium: Consortium,
}

#[derive(Deserialize)]
pub struct Consortium {
    pub field: Option<String>,
    pub chief_scientist: Option<Chief>,
    pub agreement_signed: Option<bool>,
    pub documents: Option<Documents>,
    pub charter: Option<Charter>,
    pub members: Vec<Member>,
}

#[derive(Deserialize)]
pub struct Chief {
    pub basis: String,
}

#[derive(Deserialize)]
pub struct Documents {
    pub application_form: bool,
    pub formation_agreement: bool,
}

#[derive(Deserialize)]
pub struct Charter {
    pub decision_body: bool,
    pub technical_advisory_body: bool,
    pub chief_scientist_system: bool,
    pub standing_executive_body: bool,
    pub funding_rules: bool,
    pub fund_supervision: bool,
    pub benefit_sharing: bool,
    pub open_development: bool,
}

#[derive(Deserialize)]
pub struct Member {
    pub id: String,
    pub name: Option<String>,
    pub kind: String,
    pub role: String,
    pub tech_enterprise: Option<bool>,
    pub office_in_xiamen: Option<bool>,
    pub rnd_site_in_xiamen: Option<bool>,
    pub established_on: Option<String>,
    #[serde(default)]
    pub financials: Vec<Financial>,
    pub innovation_platform_level: Option<String>,
    pub fulltime_rnd_team: Option<bool>,
    pub research_team: Option<bool>,
    pub matching_funds: Option<serde_json::Value>,
    pub leads_other_consortia: Option<i64>,
    #[serde(default)]
    pub sanctions: Vec<Sanction>,
    pub attested: Attested,
}

#[derive(Deserialize)]
pub struct Financial {
    pub year: i32,
    pub main_business_revenue: String,
    pub sales_revenue: String,
    pub rnd_expense: String,
}

#[derive(Deserialize)]
pub struct Sanction {
    pub kind: String,
    pub decided_on: String,
}

#[derive(Deserialize, Default)]
pub struct Attested {
    pub internal_controls: Option<bool>,
    pub industry_influence: Option<bool>,
    pub resource_integration: Option<bool>,
    pub cooperation_basis: Option<bool>,
    pub activities_capacity: Option<bool>,
    pub frontier_capability: Option<bool>,
    pub substantive_role: Option<bool>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Eligible,
    NeedsReview,
    Ineligible,
}

fn money(s: &str) -> i128 {
    s.parse().unwrap_or(0)
}

fn year(d: &str) -> i32 {
    d.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
}

/// The filing conditions of articles 2, 6, 7, 8 and 17, for a complete case.
pub fn decide(c: &Case) -> Outcome {
    let m = &c.consortium.members;
    let y = year(&c.as_of);
    let mut ok = m.len() >= 7
        && m.iter().filter(|x| x.kind == "enterprise").count() >= 5
        && m.iter().filter(|x| x.kind != "enterprise").count() >= 2;
    let leads: Vec<&Member> = m.iter().filter(|x| x.role == "lead").collect();
    let mut review = false;
    if leads.len() != 1 {
        return Outcome::Ineligible;
    }
    let lead = leads[0];
    let a = &lead.attested;
    if lead.kind == "enterprise" {
        ok &= lead.tech_enterprise == Some(true)
            && lead.office_in_xiamen == Some(true)
            && lead.rnd_site_in_xiamen == Some(true);
        ok &= a.internal_controls == Some(true)
            && a.industry_influence == Some(true)
            && a.resource_integration == Some(true);
        let fin = |yr: i32| lead.financials.iter().find(|f| f.year == yr);
        review |= fin(y - 1).is_none_or(|f| money(&f.main_business_revenue) < 500_000_000);
        let start = (y - 3).max(lead.established_on.as_deref().map_or(y - 3, year));
        let (mut rnd, mut sales, mut n) = (0i128, 0i128, 0i128);
        for yr in start..y {
            if let Some(f) = fin(yr) {
                rnd += money(&f.rnd_expense);
                sales += money(&f.sales_revenue);
                n += 1;
            }
        }
        ok &= n > 0 && (rnd >= 20_000_000 * n || (sales > 0 && rnd * 100 >= sales * 3));
    } else if lead.kind == "university" || lead.kind == "research_institute" {
        ok = false;
    }
    ok &= lead.fulltime_rnd_team == Some(true)
        && a.cooperation_basis == Some(true)
        && a.activities_capacity == Some(true);
    ok &= matches!(
        lead.innovation_platform_level.as_deref(),
        Some("municipal" | "provincial" | "national")
    );
    ok &= a.frontier_capability == Some(true);
    review |= lead.leads_other_consortia.unwrap_or(0) > 0;
    for x in m.iter().filter(|x| x.role != "lead") {
        ok &=
            x.attested.cooperation_basis == Some(true) && x.attested.substantive_role == Some(true);
        if x.kind != "enterprise" {
            ok &= x.research_team == Some(true);
        }
    }
    let ch = c.consortium.charter.as_ref();
    ok &= c.consortium.agreement_signed == Some(true);
    ok &= ch.is_some_and(|h| {
        h.decision_body
            && h.technical_advisory_body
            && h.chief_scientist_system
            && h.standing_executive_body
            && h.funding_rules
            && h.fund_supervision
            && h.benefit_sharing
            && h.open_development
    });
    ok &= m.iter().all(|x| {
        x.matching_funds.as_ref().is_some_and(|v| {
            v.as_str()
                .map_or(v.as_i64().unwrap_or(0) > 0, |s| money(s) > 0)
        })
    });
    ok &= c
        .consortium
        .chief_scientist
        .as_ref()
        .is_some_and(|cs| cs.basis == "lead_technical_head" || cs.basis == "high_level_talent");
    ok &= c
        .consortium
        .documents
        .as_ref()
        .is_some_and(|d| d.application_form && d.formation_agreement);
    for x in m.iter().filter(|x| x.role == "lead" || x.role == "core") {
        ok &= !x.sanctions.iter().any(|s| {
            s.kind == "lead_disqualified"
                && s.decided_on.as_str() <= c.as_of.as_str()
                && year(&s.decided_on) + 3 >= y
        });
    }
    let _ = (&c.consortium.field, &lead.id, &lead.name);
    if !ok {
        Outcome::Ineligible
    } else if review {
        Outcome::NeedsReview
    } else {
        Outcome::Eligible
    }
}
