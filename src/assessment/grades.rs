//! The appraisal committee's final grade (考核委员会确定的等次), recorded
//! separately from the suggestion, with a reason whenever it differs. The
//! stored record is `records::final_grades`.

use crate::archive::{Archive, revision};
use crate::enums::Grade;
use crate::error::{Error, Result};
pub(crate) use crate::records::final_grades::{COLUMNS, from_row, upsert};
pub use crate::records::final_grades::{FinalGrade, FinalGradeInput, all, of_cadre};

impl Archive {
    /// Record the committee's grade for a year, next to the current suggestion.
    pub fn record_final_grade(&mut self, input: FinalGradeInput) -> Result<FinalGrade> {
        let report = self.assess(&super::AssessRequest {
            year: input.year,
            unit_id: None,
            cadre_id: Some(input.cadre_id),
            as_of: None,
        })?;
        let assessed =
            report.cadres.first().ok_or_else(|| Error::State("该干部不在本年度考核范围内（非在职）".to_owned()))?;
        self.record_final_grade_against(input, assessed.suggested.grade, report.scheme_version)
    }

    /// Record a grade against a suggestion the caller has just computed (a whole year's report).
    pub(crate) fn record_final_grade_against(
        &mut self,
        input: FinalGradeInput,
        suggested: Grade,
        scheme_version: i64,
    ) -> Result<FinalGrade> {
        input.validate(suggested)?;
        self.with_tx(|tx| {
            let mut g = FinalGrade { id: 0, fields: input, suggested, scheme_version };
            g.id = upsert(tx, &g)?;
            revision::record(tx, "final_grade", g.id, "确定等次", &g)?;
            Ok(g)
        })
    }
}
