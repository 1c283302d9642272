//! A target list as the read-back needs it: each listed customer's id and group, and the
//! segment and lifecycle stage for the breakdowns, with the recipe when the list carries it.
//! Read from the CSV [`crate::target::list_csv`] wrote (also after a spreadsheet saved it
//! again: a byte order mark, `;` or tab delimiters, guarded cells) or taken from a list just
//! built ([`CampaignList::from_target`]).

use super::ANALYSIS;
use crate::ingest::{parse_group, unguard, IngestError, IngestErrorKind, ResponseGroup};
use crate::target::{Group, TargetColumns, TargetList, TargetRecipe, RECIPE_PREFIX};
use crate::Error;
use std::collections::HashMap;

/// One listed customer.
#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    pub id: String,
    pub group: Group,
    pub segment: Option<String>,
    pub lifecycle_stage: Option<String>,
}

/// A target list for the read-back.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CampaignList {
    pub recipe: Option<TargetRecipe>,
    pub entries: Vec<ListEntry>,
    index: HashMap<String, usize>,
}

fn fold(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl CampaignList {
    /// The entry of a customer id.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    fn push(&mut self, entry: ListEntry) -> Result<(), usize> {
        if let Some(&at) = self.index.get(&entry.id) {
            return Err(at);
        }
        self.index.insert(entry.id.clone(), self.entries.len());
        self.entries.push(entry);
        Ok(())
    }

    /// The list just built from `cols`.
    pub fn from_target(cols: &TargetColumns, list: &TargetList) -> Self {
        let mut out = CampaignList {
            recipe: Some(list.summary.recipe.clone()),
            ..Default::default()
        };
        for (&r, &group) in list.rows.iter().zip(&list.groups) {
            let i = r as usize;
            let _ = out.push(ListEntry {
                id: cols.id[i].clone(),
                group,
                segment: cols
                    .segment
                    .get(i)
                    .map(|s| s.to_string())
                    .filter(|s| !s.is_empty()),
                lifecycle_stage: cols
                    .lifecycle_stage
                    .as_ref()
                    .and_then(|s| s.get(i))
                    .map(|s| s.to_string()),
            });
        }
        out
    }

    /// Reads a target list CSV; a file that is not one is a located error.
    pub fn from_csv(bytes: &[u8], file: Option<&str>) -> Result<Self, Error> {
        let fail = |row: Option<u64>, column: Option<&str>, message: String| {
            Error::Ingest(IngestError {
                file: file.map(str::to_string),
                row,
                column: column.map(str::to_string),
                message,
                kind: IngestErrorKind::Other,
            })
        };
        let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
        let mut recipe = None;
        let mut body_line = 0usize;
        for line in text.lines() {
            let line = line.trim_matches(['"', ' ']);
            if !line.starts_with('#') && !line.is_empty() {
                break;
            }
            if let Some(json) = line.strip_prefix(RECIPE_PREFIX.trim_end()) {
                // A spreadsheet that saved the list again may have split the JSON at its
                // commas: the groups still read, the recipe is then unknown.
                recipe = TargetRecipe::from_json(json.trim().trim_end_matches([',', ';'])).ok();
            }
            body_line += 1;
        }
        let header_line = text.lines().nth(body_line).unwrap_or("");
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|&d| header_line.bytes().filter(|&b| b == d).count())
            .unwrap_or(b',');
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| fail(None, None, format!("the list could not be read: {e}")))?
            .iter()
            .map(fold)
            .collect();
        let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let id_col = col(&["customerid", "customer", "id"])
            .ok_or_else(|| fail(None, None, "this is not a target list: it has no customer_id column (export the list again from Clientele).".into()))?;
        let group_col = col(&["group"]).ok_or_else(|| {
            fail(
                None,
                None,
                "this is not a target list: it has no group column (target / holdout).".into(),
            )
        })?;
        let (segment_col, stage_col) = (col(&["segment"]), col(&["lifecyclestage", "lifecycle"]));
        let mut out = CampaignList {
            recipe,
            ..Default::default()
        };
        for record in reader.records() {
            let record = record.map_err(|e| {
                fail(
                    e.position().map(|p| p.line()),
                    None,
                    format!("the list could not be read: {e}"),
                )
            })?;
            let row = record.position().map(|p| p.line());
            let cell = |i: Option<usize>| {
                i.and_then(|i| record.get(i))
                    .map(|c| unguard(c.trim()).to_string())
                    .filter(|c| !c.is_empty())
            };
            let Some(id) = cell(Some(id_col)) else {
                continue;
            };
            let group = match cell(Some(group_col)).as_deref().and_then(parse_group) {
                Some(ResponseGroup::Target) => Group::Target,
                Some(ResponseGroup::Holdout) => Group::Holdout,
                None => {
                    return Err(fail(
                        row,
                        Some("group"),
                        format!("the group of customer \"{id}\" is neither target nor holdout."),
                    ));
                }
            };
            let entry = ListEntry {
                id: id.clone(),
                group,
                segment: cell(segment_col),
                lifecycle_stage: cell(stage_col),
            };
            if out.push(entry).is_err() {
                return Err(fail(
                    row,
                    Some("customer_id"),
                    format!("customer \"{id}\" is on the list twice."),
                ));
            }
        }
        if out.entries.is_empty() {
            return Err(Error::data(ANALYSIS, "the target list has no customers."));
        }
        Ok(out)
    }
}
