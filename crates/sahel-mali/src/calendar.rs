//! Calendar dates and model steps. A scenario gives dates; the model counts
//! steps of `step_days` days from the start date. Dates are proleptic Gregorian,
//! converted with Howard Hinnant's `days_from_civil` algorithm.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Date {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146097 + doe - 719468))
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        (y, m, d)
    }

    pub fn year(self) -> i64 {
        self.ymd().0
    }

    pub fn add_days(self, n: i64) -> Date {
        Date(self.0 + n)
    }

    /// Parse `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.split('-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        if it.next().is_some() || s.len() != 10 {
            return None;
        }
        Date::from_ymd(y, m, d)
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // TOML dates arrive as their text (`toml` turns a bare date into a string
        // through its datetime type), and quoted dates as strings.
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s).ok_or_else(|| E::custom(format!("expected a date YYYY-MM-DD, found `{s}`")))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                // toml's datetime: a one-entry map holding its text
                let Some((_, v)) = map.next_entry::<String, String>()? else {
                    return Err(serde::de::Error::custom("expected a date YYYY-MM-DD"));
                };
                self.visit_str(&v)
            }
        }
        d.deserialize_any(V)
    }
}

/// The model's clock: step `k` covers `[start + k·step_days, start + (k+1)·step_days)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub start: Date,
    pub step_days: u32,
}

impl Clock {
    /// The first day of step `k`.
    pub fn date(&self, step: u64) -> Date {
        self.start.add_days(step as i64 * self.step_days as i64)
    }

    /// The step whose days include `date` (dates before the start give step 0).
    pub fn step_of(&self, date: Date) -> u64 {
        ((date.0 - self.start.0).max(0) / self.step_days as i64) as u64
    }

    /// Steps needed to cover the days up to and including `end`.
    pub fn steps_until(&self, end: Date) -> u64 {
        self.step_of(end) + 1
    }

    /// Convert a rate per `days` days into a probability per step:
    /// `1 − exp(−rate·step_days/days)` (a constant hazard).
    pub fn per_step_probability(&self, rate: f64, days: f64) -> f64 {
        1.0 - (-rate * self.step_days as f64 / days).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_days() {
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(Date::parse("2012-01-01").unwrap().0, 15340);
        for d in [-800_000i64, -1, 0, 15340, 17000, 20000, 100_000] {
            let (y, m, dd) = Date(d).ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(Date(d)));
        }
        assert_eq!(Date::parse("2012-02-29").unwrap().to_string(), "2012-02-29");
        assert!(Date::parse("2013-02-29").is_none());
        assert!(Date::parse("2013-13-01").is_none());
        assert!(Date::parse("2013-1-01").is_none());
    }

    #[test]
    fn clock_steps() {
        let c = Clock { start: Date::parse("2012-01-01").unwrap(), step_days: 7 };
        assert_eq!(c.date(1).to_string(), "2012-01-08");
        assert_eq!(c.step_of(Date::parse("2012-01-07").unwrap()), 0);
        assert_eq!(c.step_of(Date::parse("2012-01-08").unwrap()), 1);
        // 2012-01-01 .. 2017-12-31: 2192 days, 313 weeks and a day
        assert_eq!(c.steps_until(Date::parse("2017-12-31").unwrap()), 314);
    }
}
