//! The two foreign types of the checked program as the load cache writes them (`policy::cache`):
//! a decimal as its 16 bytes, a day as its number from the common era. Both crates' own serde
//! forms read text back through `deserialize_any`, which a compact binary format cannot offer.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

pub mod decimal {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        d.serialize().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        <[u8; 16]>::deserialize(d).map(Decimal::deserialize)
    }
}

pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        d.num_days_from_ce().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        day(i32::deserialize(d)?)
    }
}

/// The day numbered `days` from the common era.
fn day<E: Error>(days: i32) -> Result<NaiveDate, E> {
    NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| E::custom("no such day"))
}

pub mod option_date {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        d.map(|d| d.num_days_from_ce()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<i32>::deserialize(d)?.map(day).transpose()
    }
}
