//! The helpers of each dialect, with the meaning their engine gives them: handlebars.js's
//! built-ins, SendGrid's and Mailgun's own, and the extra ones a project may declare.

use serde_json::Value;

use super::dialect::{Dialect, DialectName, EXTRA_HELPERS};
use super::render::{Args, Ctx, Output, RenderError, Renderer};
use super::value::{Val, js_string};

/// Whether any dialect, or Letterpress's extra helpers, know a helper of this name.
pub fn is_known_anywhere(name: &str) -> bool {
    EXTRA_HELPERS.contains(&name) || DialectName::ALL.into_iter().any(|d| d.dialect().helpers.contains(&name))
}

/// Which dialect has a helper of this name, to suggest when a template uses one its dialect lacks.
pub fn hint(dialect: &Dialect, name: &str) -> String {
    if EXTRA_HELPERS.contains(&name) && dialect.name == DialectName::Handlebars {
        return format!(
            "; Letterpress has `{name}` for projects whose production code registers it: add it to `helpers` in `letterpress.toml`"
        );
    }
    // The same comparison under another name, where the dialect has one.
    const EQUIVALENTS: &[(&str, &[&str])] = &[
        ("eq", &["equals", "equal"]),
        ("equals", &["equal"]),
        ("equal", &["equals"]),
        ("ne", &["notEquals"]),
        ("gt", &["greaterThan"]),
        ("lt", &["lessThan"]),
        ("len", &["length"]),
        ("length", &["len"]),
    ];
    let instead = EQUIVALENTS
        .iter()
        .filter(|(from, _)| *from == name)
        .flat_map(|(_, to)| to.iter())
        .find(|to| dialect.helpers.contains(to));
    if let Some(instead) = instead {
        return format!(" in {}; it has `{instead}`", dialect.engine);
    }
    let owners: Vec<&str> = DialectName::ALL
        .into_iter()
        .filter(|d| *d != dialect.name && d.dialect().helpers.contains(&name))
        .map(DialectName::as_str)
        .collect();
    match owners.as_slice() {
        [] => format!(" in {}", dialect.engine),
        [one] => format!(" in {} (the {one} dialect has it)", dialect.engine),
        many => format!(" in {} (the {} dialects have it)", dialect.engine, many.join(", ")),
    }
}

fn block_only<'t>(args: &Args<'_, 't>) -> Result<&'t super::syntax::Block, RenderError> {
    args.block
        .ok_or_else(|| args.error(format!("`{0}` is a block helper: write `{{{{#{0} …}}}}…{{{{/{0}}}}}`", args.name)))
}

fn one_argument(args: &Args<'_, '_>) -> Result<(), RenderError> {
    if args.params.len() != 1 {
        return Err(args.error(format!("`#{}` takes exactly one argument", args.name)));
    }
    Ok(())
}

pub fn call<'a, 't>(
    renderer: &mut Renderer<'a, 't, '_>,
    args: Args<'a, 't>,
    out: Option<&mut String>,
) -> Result<Output<'a>, RenderError> {
    let mut scratch = String::new();
    let out = out.unwrap_or(&mut scratch);
    match args.name {
        "if" | "unless" => {
            one_argument(&args)?;
            let block = block_only(&args)?;
            let include_zero = args.hash("includeZero").is_some_and(|v| !v.val.is_falsy());
            let value = &args.params[0].val;
            let is_zero = matches!(value.json(), Some(Value::Number(n)) if n.as_f64() == Some(0.0));
            let truthy = (renderer.truthy(value) || (include_zero && is_zero)) && !value.is_empty();
            let positive = if args.name == "if" { truthy } else { !truthy };
            renderer.branch(block, positive, renderer.this(), None, out)?;
            Ok(Output::Text(String::new()))
        }
        "each" => {
            let block = block_only(&args)?;
            let Some(value) = args.params.first().cloned() else {
                return Err(args.error("`#each` needs a list to loop over: `{{#each items}}`"));
            };
            renderer.each(block, value, out)?;
            Ok(Output::Text(String::new()))
        }
        "with" => {
            one_argument(&args)?;
            let block = block_only(&args)?;
            let value = args.params[0].clone();
            let positive = !value.val.is_empty() && renderer.truthy_or_zero(&value.val);
            if positive {
                renderer.branch(block, true, value.clone(), Some(vec![value]), out)?;
            } else {
                renderer.branch(block, false, value, None, out)?;
            }
            Ok(Output::Text(String::new()))
        }
        "lookup" => {
            let Some(object) = args.params.first() else {
                return Err(args.error("`lookup` needs an object and a key: `{{lookup object key}}`"));
            };
            if object.val.is_falsy() {
                return Ok(Output::Value(object.clone()));
            }
            let key = match args.params.get(1).map(|k| &k.val) {
                Some(Val::Undefined) => "undefined".to_owned(),
                Some(key) => key.json().map_or_else(String::new, js_string),
                None => "[object Object]".to_owned(),
            };
            Ok(Output::Value(object.property(&key)))
        }
        "log" => Ok(Output::Value(Ctx::undefined())),
        "equals" | "notEquals" | "greaterThan" | "lessThan" | "and" | "or" | "equal" if args.block.is_some() => {
            let block = block_only(&args)?;
            let positive = compare(renderer, &args)?;
            renderer.branch(block, positive, renderer.this(), None, out)?;
            Ok(Output::Text(String::new()))
        }
        "equals" | "notEquals" | "greaterThan" | "lessThan" | "equal" => {
            Err(args.error(format!("`{0}` is a block helper: write `{{{{#{0} a b}}}}…{{{{/{0}}}}}`", args.name)))
        }
        "and" | "or" if renderer.extra_helpers.iter().any(|h| h == args.name) => {
            let all = args.params.iter().all(|p| !p.val.is_falsy());
            let any = args.params.iter().any(|p| !p.val.is_falsy());
            Ok(Output::Value(Ctx::literal(Value::Bool(if args.name == "and" { all } else { any }))))
        }
        "and" | "or" => {
            Err(args.error(format!("`{0}` is a block helper: write `{{{{#{0} a b}}}}…{{{{/{0}}}}}`", args.name)))
        }
        "length" => {
            let length = match args.params.first().and_then(|p| p.val.json()) {
                Some(Value::String(s)) => s.chars().count(),
                Some(Value::Array(items)) => items.len(),
                _ => 0,
            };
            Ok(Output::Value(Ctx::literal(Value::from(length))))
        }
        "insert" => {
            let value = args.params.first().cloned().unwrap_or_else(Ctx::undefined);
            if !value.val.is_falsy() {
                return Ok(Output::Value(value));
            }
            let fallback = args.params.get(1).and_then(|p| p.val.json()).map(js_string).unwrap_or_default();
            let fallback = fallback.strip_prefix("default=").map(str::to_owned).unwrap_or(fallback);
            Ok(Output::Value(Ctx::literal(Value::String(fallback))))
        }
        "formatDate" => {
            let value = args.params.first().and_then(|p| p.val.json()).cloned().unwrap_or(Value::Null);
            let format = args.params.get(1).and_then(|p| p.val.json()).map(js_string).unwrap_or_default();
            let offset = args.params.get(2).and_then(|p| p.val.json()).map(js_string);
            let formatted = format_date(&value, &format, offset.as_deref())
                .unwrap_or_else(|| renderer.print(&Val::Own(value.clone())));
            Ok(Output::Value(Ctx::literal(Value::String(formatted))))
        }
        "eq" | "ne" | "gt" | "gte" | "lt" | "lte" => {
            let (Some(a), Some(b)) = (args.params.first(), args.params.get(1)) else {
                return Err(args.error(format!("`{}` compares two values: `({} a b)`", args.name, args.name)));
            };
            let (a, b) = (a.val.json().cloned().unwrap_or(Value::Null), b.val.json().cloned().unwrap_or(Value::Null));
            let order = json_order(&a, &b);
            let result = match args.name {
                "eq" => a == b,
                "ne" => a != b,
                "gt" => order == Some(std::cmp::Ordering::Greater),
                "gte" => matches!(order, Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)),
                "lt" => order == Some(std::cmp::Ordering::Less),
                _ => matches!(order, Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)),
            };
            Ok(Output::Value(Ctx::literal(Value::Bool(result))))
        }
        "not" => {
            let value = args.params.first().is_none_or(|p| p.val.is_falsy());
            Ok(Output::Value(Ctx::literal(Value::Bool(value))))
        }
        "len" => {
            let length = match args.params.first().and_then(|p| p.val.json()) {
                Some(Value::String(s)) => s.chars().count(),
                Some(Value::Array(items)) => items.len(),
                Some(Value::Object(map)) => map.len(),
                _ => 0,
            };
            Ok(Output::Value(Ctx::literal(Value::from(length))))
        }
        other => Err(args.error(format!("`{other}` is not a helper"))),
    }
}

/// The block comparisons of SendGrid (`equals` … `or`) and Mailgun (`equal`).
fn compare(renderer: &Renderer<'_, '_, '_>, args: &Args<'_, '_>) -> Result<bool, RenderError> {
    if args.params.len() < 2 {
        return Err(args.error(format!("`#{}` compares two values: `{{{{#{} a b}}}}`", args.name, args.name)));
    }
    let (a, b) = (&args.params[0].val, &args.params[1].val);
    let number = |v: &Val<'_>| match v.json() {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(f64::NAN),
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        _ => f64::NAN,
    };
    Ok(match args.name {
        "equals" => a.loosely_equals(b),
        "notEquals" => !a.loosely_equals(b),
        "greaterThan" => number(a) > number(b),
        "lessThan" => number(a) < number(b),
        "and" => args.params.iter().all(|p| renderer.truthy(&p.val)),
        "or" => args.params.iter().any(|p| renderer.truthy(&p.val)),
        // raymond compares the printed values.
        _ => renderer.print(a) == renderer.print(b),
    })
}

/// How the handlebars crate's comparisons order two JSON values: numbers by value, strings by
/// their characters, anything else not at all.
fn json_order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// SendGrid's `formatDate`: an ISO 8601 time or epoch (seconds, or milliseconds for large
/// numbers), written with SendGrid's tokens, in UTC or at a `-0800` style offset.
pub fn format_date(value: &Value, format: &str, offset: Option<&str>) -> Option<String> {
    let mut seconds = match value {
        Value::Number(n) => {
            let n = n.as_f64()?;
            (if n.abs() >= 1e11 { n / 1000.0 } else { n }).floor() as i64
        }
        Value::String(s) => parse_iso8601(s)?,
        _ => return None,
    };
    let offset_minutes = match offset {
        Some(o) => parse_offset(o)?,
        None => 0,
    };
    seconds += offset_minutes * 60;
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (in_day / 3600, in_day % 3600 / 60, in_day % 60);
    let weekday = (days + 4).rem_euclid(7) as usize; // 1970-01-01 was a Thursday.
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    let hour12 = if hour % 12 == 0 { 12 } else { hour % 12 };
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let (oh, om) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
    let tokens: [(&str, String); 21] = [
        ("YYYY", format!("{year:04}")),
        ("YY", format!("{:02}", year.rem_euclid(100))),
        ("MMMM", MONTHS[month as usize - 1].to_owned()),
        ("MMM", MONTHS[month as usize - 1][..3].to_owned()),
        ("MM", format!("{month:02}")),
        ("M", month.to_string()),
        ("DD", format!("{day:02}")),
        ("D", day.to_string()),
        ("dddd", DAYS[weekday].to_owned()),
        ("ddd", DAYS[weekday][..3].to_owned()),
        ("hh", format!("{hour12:02}")),
        ("h", hour12.to_string()),
        ("HH", format!("{hour:02}")),
        ("H", hour.to_string()),
        ("mm", format!("{minute:02}")),
        ("m", minute.to_string()),
        ("ss", format!("{second:02}")),
        ("s", second.to_string()),
        ("A", if hour < 12 { "AM" } else { "PM" }.to_owned()),
        ("ZZ", format!("{sign}{oh:02}{om:02}")),
        ("Z", format!("{sign}{oh:02}:{om:02}")),
    ];
    let mut out = String::new();
    let mut rest = format;
    'outer: while !rest.is_empty() {
        for (token, text) in &tokens {
            if let Some(after) = rest.strip_prefix(token) {
                out.push_str(text);
                rest = after;
                continue 'outer;
            }
        }
        let c = rest.chars().next()?;
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

fn parse_offset(text: &str) -> Option<i64> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'-' => (-1, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => (1, text),
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = digits[2..].parse().ok()?;
    Some(sign * (hours * 60 + minutes))
}

/// `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]` to seconds since 1970 in UTC.
fn parse_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = match text.find(['T', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    if let Some(time) = time {
        let (clock, zone) = match time.find(['Z', '+', '-']) {
            Some(i) => (&time[..i], &time[i..]),
            None => (time, ""),
        };
        let mut fields = clock.split(':');
        let hour: i64 = fields.next()?.parse().ok()?;
        let minute: i64 = fields.next().unwrap_or("0").parse().ok()?;
        let second: f64 = fields.next().unwrap_or("0").parse().ok()?;
        seconds += hour * 3600 + minute * 60 + second.floor() as i64;
        if !zone.is_empty() && zone != "Z" {
            seconds -= parse_offset(zone)? * 60;
        }
    }
    Some(seconds)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sendgrid_dates() {
        let t = json!("2020-01-01T23:00:00.000Z");
        assert_eq!(format_date(&t, "MMMM DD, YYYY h:mm:ssA", None).unwrap(), "January 01, 2020 11:00:00PM");
        assert_eq!(
            format_date(&t, "dddd YYYY-MM-DD HH:mm ZZ", Some("-0800")).unwrap(),
            "Wednesday 2020-01-01 15:00 -0800"
        );
        assert_eq!(format_date(&json!(0), "YYYY-MM-DD ddd", None).unwrap(), "1970-01-01 Thu");
        assert_eq!(format_date(&json!(1_577_919_600_000u64), "YYYY-MM-DD HH:mm", None).unwrap(), "2020-01-01 23:00");
        assert!(format_date(&json!("soon"), "YYYY", None).is_none());
    }
}
