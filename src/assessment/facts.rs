//! Everything the engine reads about one cadre, loaded once. The engine's
//! rules are pure functions of these facts, the scheme and the as-of date.

use rusqlite::Connection;

use crate::dossier::{InitiativeRecord, initiative_record};
use crate::enums::ParticipantRole;
use crate::error::Result;
use crate::records::cadres::{self, Cadre, Post};
use crate::records::evaluations::{self, Evaluation, Protection};
use crate::records::negatives::{self, Negative};
use crate::records::reports::{self, Clearing, Report};
use crate::records::tolerance::{self, ToleranceCase};
use crate::records::{initiatives, units};

use super::grades::{self, FinalGrade};

pub struct Facts {
    pub cadre: Cadre,
    pub unit_name: String,
    pub posts: Vec<Post>,
    pub initiatives: Vec<(ParticipantRole, InitiativeRecord)>,
    pub evaluations: Vec<(Evaluation, Option<Protection>)>,
    pub negatives: Vec<Negative>,
    pub reports: Vec<(Report, Option<Clearing>)>,
    pub tolerance: Vec<ToleranceCase>,
    pub grades: Vec<FinalGrade>,
}

pub fn load(conn: &Connection, cadre_id: i64) -> Result<Facts> {
    let cadre = cadres::get(conn, cadre_id)?;
    let initiatives = initiatives::of_cadre(conn, cadre_id)?
        .into_iter()
        .map(|i| {
            let role = i
                .fields
                .participants
                .iter()
                .find(|p| p.cadre_id == cadre_id)
                .map_or(ParticipantRole::Member, |p| p.role);
            Ok((role, initiative_record(conn, i.id)?))
        })
        .collect::<Result<Vec<_>>>()?;
    let evaluations = evaluations::of_cadre(conn, cadre_id, None)?
        .into_iter()
        .map(|e| Ok((evaluations::protection_of(conn, e.id)?, e)))
        .map(|r: Result<_>| r.map(|(p, e)| (e, p)))
        .collect::<Result<Vec<_>>>()?;
    let reports = reports::of_cadre(conn, cadre_id)?
        .into_iter()
        .map(|r| Ok((reports::clearing_of(conn, r.id)?, r)))
        .map(|r: Result<_>| r.map(|(c, r)| (r, c)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Facts {
        unit_name: units::get(conn, cadre.fields.unit_id)?.fields.name,
        posts: cadres::posts(conn, cadre_id)?,
        initiatives,
        evaluations,
        negatives: negatives::of_cadre(conn, cadre_id)?,
        reports,
        tolerance: tolerance::of_cadre(conn, cadre_id)?,
        grades: grades::of_cadre(conn, cadre_id)?,
        cadre,
    })
}
