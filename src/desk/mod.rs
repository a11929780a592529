//! 工作台: the first page after sign-in, one per role — what needs doing today,
//! in the user's scope. The 档案管理员's follow-up list with 黄/橙/红 warnings
//! (`clerk`), the 领导's reviews and recent results (`leader`), the 考核办's
//! year-end progress and the calibration of the 谋事 raters (`appraisal`,
//! `calibration`). A desk reads the archive and leads to records; it changes
//! nothing and no score depends on it.

pub mod appraisal;
pub mod calibration;
pub mod clerk;
pub mod leader;
