// Generated from the Rust core by `make types` (ganshi::ts::bindings). Do not edit.

export type UnitKind = "省" | "市" | "县(市、区)" | "开发区" | "市直部门" | "市属企事业单位" | "乡镇(街道)" | "科室" | "其他";

export type Gender = "男" | "女";

export type ManagementLevel = "省管" | "市管" | "县管" | "其他";

export type CadreStatus = "在职" | "调出" | "退休";

export type Category = "创新思路" | "引进项目" | "亮点工作";

export type ConductTag = "全局性重点工作" | "急难险重任务" | "关键时刻";

export type Stage = "谋事" | "干事" | "成事";

export type ParticipantRole = "牵头" | "参与";

export type RaterRole = "组织部门" | "领导班子主要负责同志";

export type Achievement = "完全实现" | "基本实现" | "部分实现" | "未实现";

export type RecognitionLevel = "国家级" | "省级" | "市级" | "县级";

export type OwnerKind = "cadre" | "initiative" | "milestone" | "rating" | "tracking" | "outcome" | "recognition";

export type UnitInput = { parentId: number | null, 
/**
 * Organisation code, unique in the archive (e.g. `130200-03`).
 */
code: string, name: string, kind: UnitKind, sortOrder: number, };

export type Unit = { id: number, parentId: number | null, 
/**
 * Organisation code, unique in the archive (e.g. `130200-03`).
 */
code: string, name: string, kind: UnitKind, sortOrder: number, };

export type CadreInput = { name: string, gender: Gender, 
/**
 * 出生年月, `YYYY-MM`.
 */
birth: string, ethnicity: string, nativePlace: string, 
/**
 * 入党时间, `YYYY-MM`; absent for non-members.
 */
partyDate: string | null, 
/**
 * 参加工作时间, `YYYY-MM`.
 */
workStart: string | null, education: string, 
/**
 * 现任职务.
 */
post: string, 
/**
 * 职级.
 */
rank: string, unitId: number, managementLevel: ManagementLevel, status: CadreStatus, idNumber: string | null, 
/**
 * 人员类别 (公务员 when not given).
 */
staffCategory: StaffCategory, };

export type Cadre = { id: number, name: string, gender: Gender, 
/**
 * 出生年月, `YYYY-MM`.
 */
birth: string, ethnicity: string, nativePlace: string, 
/**
 * 入党时间, `YYYY-MM`; absent for non-members.
 */
partyDate: string | null, 
/**
 * 参加工作时间, `YYYY-MM`.
 */
workStart: string | null, education: string, 
/**
 * 现任职务.
 */
post: string, 
/**
 * 职级.
 */
rank: string, unitId: number, managementLevel: ManagementLevel, status: CadreStatus, idNumber: string | null, 
/**
 * 人员类别 (公务员 when not given).
 */
staffCategory: StaffCategory, };

export type PostInput = { unitId: number, title: string, rank: string, startDate: string, endDate: string | null, note: string, };

export type Post = { id: number, cadreId: number, unitId: number, title: string, rank: string, startDate: string, endDate: string | null, note: string, };

export type Transfer = { unitId: number, title: string, rank: string, date: string, note: string, };

export type Participant = { cadreId: number, role: ParticipantRole, };

export type InitiativeInput = { category: Category, title: string, summary: string, startDate: string, 
/**
 * Exactly one 牵头; any number of 参与.
 */
participants: Array<Participant>, tags: Array<ConductTag>, };

export type Initiative = { id: number, stage: Stage, stoppedOn: string | null, stopReason: string | null, category: Category, title: string, summary: string, startDate: string, 
/**
 * Exactly one 牵头; any number of 参与.
 */
participants: Array<Participant>, tags: Array<ConductTag>, };

export type InitiativeRow = { id: number, category: Category, title: string, stage: Stage, startDate: string, stopped: boolean, 
/**
 * `None` when the lead is outside the reader's scope (an item shared with a
 * cadre in scope): the reader sees the lead's name only.
 */
leadCadreId: number | null, leadName: string, 
/**
 * The lead's unit; `None` when the lead is outside the reader's scope.
 */
unitName: string | null, };

export type InitiativeFilter = { unitId: number | null, stage: Stage | null, category: Category | null, text: string | null, };

export type PlanInput = { 
/**
 * 干什么: the goal.
 */
goal: string, 
/**
 * 怎么干: the measures.
 */
measures: string, 
/**
 * 谁来干: responsible unit …
 */
responsibleUnitId: number | null, 
/**
 * … and responsible person.
 */
responsiblePerson: string, 
/**
 * 什么时间干成: the deadline.
 */
deadline: string | null, };

export type Plan = { initiativeId: number, 
/**
 * 干什么: the goal.
 */
goal: string, 
/**
 * 怎么干: the measures.
 */
measures: string, 
/**
 * 谁来干: responsible unit …
 */
responsibleUnitId: number | null, 
/**
 * … and responsible person.
 */
responsiblePerson: string, 
/**
 * 什么时间干成: the deadline.
 */
deadline: string | null, };

export type MilestoneInput = { name: string, dueDate: string, doneDate: string | null, };

export type Milestone = { id: number, initiativeId: number, name: string, dueDate: string, doneDate: string | null, };

export type RatingInput = { raterRole: RaterRole, raterName: string, 
/**
 * 创新性 1–5.
 */
innovation: number, 
/**
 * 挑战性 1–5.
 */
challenge: number, 
/**
 * 攻坚性 1–5.
 */
difficulty: number, comment: string, ratedOn: string, };

export type PlanRating = { id: number, initiativeId: number, raterRole: RaterRole, raterName: string, 
/**
 * 创新性 1–5.
 */
innovation: number, 
/**
 * 挑战性 1–5.
 */
challenge: number, 
/**
 * 攻坚性 1–5.
 */
difficulty: number, comment: string, ratedOn: string, };

export type TrackingInput = { date: string, 
/**
 * Overall progress, 0–100 %.
 */
progress: number, narrative: string, 
/**
 * The milestone this record reports on, if any.
 */
milestoneId: number | null, 
/**
 * Conduct in overall key work / urgent, difficult, dangerous tasks / critical moments.
 */
conductTag: ConductTag | null, conduct: string, 
/**
 * The tracker's rating, 1–5.
 */
rating: number, tracker: string, };

export type Tracking = { id: number, initiativeId: number, date: string, 
/**
 * Overall progress, 0–100 %.
 */
progress: number, narrative: string, 
/**
 * The milestone this record reports on, if any.
 */
milestoneId: number | null, 
/**
 * Conduct in overall key work / urgent, difficult, dangerous tasks / critical moments.
 */
conductTag: ConductTag | null, conduct: string, 
/**
 * The tracker's rating, 1–5.
 */
rating: number, tracker: string, };

export type Metric = { name: string, value: number, unit: string, };

export type OutcomeInput = { achievement: Achievement, narrative: string, recordedOn: string, metrics: Array<Metric>, };

export type Outcome = { initiativeId: number, achievement: Achievement, narrative: string, recordedOn: string, metrics: Array<Metric>, };

export type RecognitionInput = { level: RecognitionLevel, 
/**
 * What was recognised (e.g. 全国农村改革试验区典型经验).
 */
title: string, 
/**
 * Issuing body (发文/授予机关).
 */
body: string, date: string, };

export type Recognition = { id: number, initiativeId: number, level: RecognitionLevel, 
/**
 * What was recognised (e.g. 全国农村改革试验区典型经验).
 */
title: string, 
/**
 * Issuing body (发文/授予机关).
 */
body: string, date: string, };

export type EvidenceMeta = { id: number, ownerKind: OwnerKind, ownerId: number, name: string, 
/**
 * Media type sniffed from the content.
 */
mime: string, size: number, sha256: string, addedOn: string, addedBy: string, };

export type Transition = { id: number, initiativeId: number, 
/**
 * `None` for the creating entry (立项).
 */
fromStage: Stage | null, toStage: Stage, date: string, actor: string, note: string, };

export type Readiness = { stage: Stage, next: Stage | null, missing: Array<string>, };

export type Revision = { id: number, 
/**
 * Table the record lives in (`cadre`, `initiative`, `plan`, …).
 */
entity: string, entityId: number, 
/**
 * 1 for the creating version, then 2, 3, …
 */
rev: number, at: string, actor: string, 
/**
 * Why the record changed (创建, 更正, or the user's own words).
 */
reason: string, 
/**
 * The record as it stood after this change.
 */
data: unknown, };

export type InitiativeRecord = { plan: PlanInput | null, milestones: Array<Milestone>, ratings: Array<PlanRating>, tracking: Array<Tracking>, outcome: OutcomeInput | null, recognitions: Array<Recognition>, transitions: Array<Transition>, id: number, stage: Stage, stoppedOn: string | null, stopReason: string | null, category: Category, title: string, summary: string, startDate: string, 
/**
 * Exactly one 牵头; any number of 参与.
 */
participants: Array<Participant>, tags: Array<ConductTag>, };

export type MilestoneState = "按期完成" | "逾期完成" | "已逾期" | "未到期";

export type MilestoneStatus = { milestoneId: number, state: MilestoneState, 
/**
 * Days past the due date (done late, or still open and overdue); 0 otherwise.
 */
overdueDays: number, };

export type ParticipantView = { 
/**
 * `None` for a cadre outside the reader's scope: of them the reader sees
 * the name and the role only (docs/security.md, 「共同参与的事项」).
 */
cadreId: number | null, name: string, role: ParticipantRole, };

export type InitiativeView = { participantNames: Array<ParticipantView>, milestoneStatus: Array<MilestoneStatus>, responsibleUnitName: string | null, 
/**
 * Evidence attached to the initiative or any of its records.
 */
evidence: Array<EvidenceMeta>, plan: PlanInput | null, milestones: Array<Milestone>, ratings: Array<PlanRating>, tracking: Array<Tracking>, outcome: OutcomeInput | null, recognitions: Array<Recognition>, transitions: Array<Transition>, id: number, stage: Stage, stoppedOn: string | null, stopReason: string | null, category: Category, title: string, summary: string, startDate: string, 
/**
 * Exactly one 牵头; any number of 参与.
 */
participants: Array<Participant>, tags: Array<ConductTag>, };

export type PostView = { unitName: string, id: number, cadreId: number, unitId: number, title: string, rank: string, startDate: string, endDate: string | null, note: string, };

export type Dossier = { cadre: Cadre, 
/**
 * Unit names from the root down to the cadre's unit.
 */
unitPath: Array<string>, posts: Array<PostView>, initiatives: Array<InitiativeView>, 
/**
 * Evidence attached to the cadre itself.
 */
evidence: Array<EvidenceMeta>, 
/**
 * The date overdue milestones are judged against.
 */
asOf: string, };

export type ImportSummary = { units: number, cadres: number, posts: number, initiatives: number, evidence: number, revisions: number, assessmentRecords: number, };

export type ErrorDto = { code: string, message: string, field: string | null, 
/**
 * For `transition_blocked`: each unmet precondition.
 */
missing: Array<string>, };

export type AppStatus = { 
/**
 * The open archive (signed in), if any.
 */
archivePath: string | null, 
/**
 * The archive chosen on the sign-in screen (open or not).
 */
selectedArchive: string | null, selectedState: ArchiveFileState | null, 
/**
 * The signed-in user.
 */
session: Session | null, idleMinutes: number, lastArchive: string | null, 
/**
 * Suggested path for a new archive.
 */
defaultNewPath: string, 
/**
 * Where the demo archive lives.
 */
demoPath: string, version: string, today: string, 
/**
 * The open archive was upgraded from an older schema version when opened,
 * after a verified copy of it was kept (the window says so once).
 */
upgraded: Upgraded | null, };

export type Upgraded = { fromVersion: number, toVersion: number, 
/**
 * The copy made before the upgrade (with its key file beside it). None for
 * an unencrypted archive: no plaintext copy of personnel data is left on disk
 * (such an archive is encrypted next, into a verified new file).
 */
backup: string | null, };

export type AboutInfo = { version: string, 
/**
 * The archive format (schema version) this program writes.
 */
schemaVersion: number, 
/**
 * The open archive's format, if one is open.
 */
archiveSchemaVersion: number | null, archivePath: string | null, logPath: string, dataDir: string, configDir: string, };

export type EvaluationKind = "民主测评" | "群众评议";

export type EvaluationSide = "官评" | "民评";

export type RaterGroup = "班子成员" | "同事" | "下属" | "服务对象" | "群众";

export type Grade = "优秀" | "称职" | "基本称职" | "不称职" | "不确定等次";

export type AccountabilityKind = "提醒谈话" | "诫勉谈话" | "通报批评" | "组织处理" | "党纪处分" | "政务处分";

export type InactionCategory = "庸" | "懒" | "散" | "混";

export type ReportFinding = "属实" | "部分属实" | "不实";

export type ToleranceDecision = "予以容错" | "不予容错";

export type Votes = { excellent: number, competent: number, basic: number, incompetent: number, };

export type EvaluationInput = { cadreId: number, year: number, kind: EvaluationKind, raterGroup: RaterGroup, 
/**
 * Vote counts (民主测评 by grade) …
 */
votes: Votes | null, 
/**
 * … or a score 0–100 (满意度, 评议得分). Exactly one of the two.
 */
score: number | null, heldOn: string, note: string, };

export type Evaluation = { id: number, cadreId: number, year: number, kind: EvaluationKind, raterGroup: RaterGroup, 
/**
 * Vote counts (民主测评 by grade) …
 */
votes: Votes | null, 
/**
 * … or a score 0–100 (满意度, 评议得分). Exactly one of the two.
 */
score: number | null, heldOn: string, note: string, };

export type ProtectionInput = { evaluationId: number, 
/**
 * Why: the cadre offended interests by daring to act (勇于担当、敢抓敢管).
 */
reason: string, decidedBy: string, decidedOn: string, };

export type Protection = { id: number, evaluationId: number, 
/**
 * Why: the cadre offended interests by daring to act (勇于担当、敢抓敢管).
 */
reason: string, decidedBy: string, decidedOn: string, };

export type NegativeDetail = { "kind": "问责", accountability: AccountabilityKind, 
/**
 * e.g. 警告, 记过, 免职 (see `AccountabilityKind::subtypes`).
 */
subtype: string, 
/**
 * 影响期 in months from the record's date; omitted: the subtype's default
 * (`AccountabilityKind::effect_period`), filled in when the record is saved.
 */
effectMonths?: number, reason: string, issuedBy: string, } | { "kind": "为官不为", category: InactionCategory, 
/**
 * One of the category's fixed situations.
 */
situation: string, description: string, foundBy: string, 
/**
 * Omitted: 12 months (`enums::INACTION_EFFECT`).
 */
effectMonths?: number, } | { "kind": "约谈", reason: string, 
/**
 * 约谈备忘录.
 */
memo: string, 
/**
 * 整改方案 with measures.
 */
rectification: string, deadline: string, closedOn: string | null, closureNote: string, } | { "kind": "问题清单", description: string, 
/**
 * 路线图: how it will be fixed.
 */
route: string, responsiblePerson: string, deadline: string, closedOn: string | null, closureNote: string, };

export type NegativeInput = { cadreId: number, date: string, detail: NegativeDetail, };

export type Negative = { id: number, cadreId: number, date: string, detail: NegativeDetail, };

export type EffectPeriod = { default: number, min: number, max: number, source: string, };

export type EffectPeriodRow = { 
/**
 * `None` for a 为官不为 finding.
 */
accountability: AccountabilityKind | null, subtype: string, period: EffectPeriod, };

export type ReportInput = { cadreId: number, receivedOn: string, 
/**
 * 来源: 信访、12388 举报、巡察移交…
 */
source: string, summary: string, };

export type Report = { id: number, 
/**
 * `None` while the report is still being looked into.
 */
finding: ReportFinding | null, foundOn: string | null, investigatedBy: string, findingNote: string, cadreId: number, receivedOn: string, 
/**
 * 来源: 信访、12388 举报、巡察移交…
 */
source: string, summary: string, };

export type FindingInput = { finding: ReportFinding, foundOn: string, investigatedBy: string, note: string, 
/**
 * For 不实: where the clearing is announced (default 本单位) and its wording.
 */
clearingScope: string | null, clearingStatement: string | null, };

export type Clearing = { id: number, reportId: number, clearedOn: string, scope: string, statement: string, };

export type ToleranceInput = { cadreId: number, 
/**
 * The shortfall is in this initiative …
 */
initiativeId: number | null, 
/**
 * … or it is this negative record. Exactly one of the two.
 */
negativeId: number | null, 
/**
 * 看问题性质.
 */
nature: string, 
/**
 * 看工作依据.
 */
basis: string, 
/**
 * 看主观动机.
 */
motive: string, 
/**
 * 看决策过程.
 */
process: string, 
/**
 * 看履职取向.
 */
orientation: string, 
/**
 * 看纠错态度.
 */
correction: string, 
/**
 * `None` while the case is open.
 */
decision: ToleranceDecision | null, reason: string, decidedBy: string, decidedOn: string | null, benchmark: boolean, 
/**
 * Earlier benchmark cases this decision follows.
 */
cites: Array<number>, };

export type ToleranceCase = { id: number, cadreId: number, 
/**
 * The shortfall is in this initiative …
 */
initiativeId: number | null, 
/**
 * … or it is this negative record. Exactly one of the two.
 */
negativeId: number | null, 
/**
 * 看问题性质.
 */
nature: string, 
/**
 * 看工作依据.
 */
basis: string, 
/**
 * 看主观动机.
 */
motive: string, 
/**
 * 看决策过程.
 */
process: string, 
/**
 * 看履职取向.
 */
orientation: string, 
/**
 * 看纠错态度.
 */
correction: string, 
/**
 * `None` while the case is open.
 */
decision: ToleranceDecision | null, reason: string, decidedBy: string, decidedOn: string | null, benchmark: boolean, 
/**
 * Earlier benchmark cases this decision follows.
 */
cites: Array<number>, };

export type Source = { 
/**
 * Table of the record (`plan_rating`, `milestone`, `tracking`, `outcome`, `evaluation`, …).
 */
kind: string, id: number, };

export type Explanation = { 
/**
 * What the number is (Chinese).
 */
label: string, 
/**
 * The value, rounded to two decimals; `None` when not assessed.
 */
value: number | null, 
/**
 * The rule applied, in words (Chinese), with the scheme's parameters.
 */
rule: string, 
/**
 * The records this node read directly.
 */
sources: Array<Source>, 
/**
 * The inputs, each with its own explanation.
 */
children: Array<Explanation>, };

export type InitiativeAssessment = { initiativeId: number, title: string, role: ParticipantRole, 
/**
 * The stage reached by the as-of date.
 */
stage: Stage, 
/**
 * A granted fault-tolerance case (予以容错) covers this item.
 */
toleratedBy: number | null, 
/**
 * Reached 干事 by the as-of date and assessed in 干事 or 成事: the item shows
 * work done, not only intentions (what 优秀 requires, `composite.excellentNeedsDelivery`).
 */
delivered: boolean, plan: Explanation, execution: Explanation, outcome: Explanation, 
/**
 * The item score: the stages' weighted mean.
 */
score: Explanation, };

export type DecisionNote = { 
/**
 * 澄清正名 / 保护条款 / 容错免责.
 */
kind: string, source: Source, text: string, };

export type GradeSuggestion = { grade: Grade, 
/**
 * The grade the composite alone reaches by the thresholds (`None` when there is
 * no composite or the grade is held up).
 */
byScore: Grade | null, 
/**
 * Why: thresholds, caps, quota, or what makes a grade premature.
 */
reasons: Array<string>, 
/**
 * The reasons that moved the grade away from `by_score` (a grade cap, the
 * 优秀 evidence rule, the quota), each also in `reasons`; empty when it was not moved.
 */
adjustments: Array<string>, 
/**
 * Set when the 优秀 quota moved the grade to 称职: the cadre's rank among
 * the unit's 优秀 candidates by composite (1-based) and the unit's quota.
 */
overQuota: QuotaPlace | null, };

export type CadreAssessment = { cadreId: number, name: string, post: string, unitId: number, unitName: string, 
/**
 * The unit whose 优秀 quota applies.
 */
appraisalUnitId: number, initiatives: Array<InitiativeAssessment>, achievement: Explanation, official: Explanation, public: Explanation, deductions: Explanation, composite: Explanation, suggested: GradeSuggestion, finalGrade: FinalGrade | null, decisions: Array<DecisionNote>, };

export type QuotaLine = { appraisalUnitId: number, unitName: string, 
/**
 * Cadres assessed in the unit.
 */
assessed: number, 
/**
 * floor(assessed × quota).
 */
allowed: number, 
/**
 * Smaller units whose cadres are counted here (they share this quota).
 */
pooled: Array<string>, 
/**
 * Suggested 优秀 after the quota.
 */
excellent: number, 
/**
 * Would have been 优秀 by score, moved to 称职 by the quota.
 */
overQuota: number, };

export type QuotaPlace = { rank: number, allowed: number, };

export type SiteCard = { format: string, 
/**
 * 行政区划代码 of a county or above (6 digits).
 */
code: string, name: string, 
/**
 * Ed25519 public key (base64): checks the site's packages.
 */
signingKey: string, 
/**
 * X25519 public key (base64): packages for the site are sealed to it.
 */
boxKey: string, 
/**
 * The first 80 bits of the card's digest, in groups: read aloud to compare.
 */
fingerprint: string, 
/**
 * The site's signature of the card (base64).
 */
signature: string, };

export type Partner = { code: string, name: string, fingerprint: string, 
/**
 * The unit subtree the partner owns here (a county at the city), if any.
 */
unitId: number | null, trustedAt: string, trustedBy: string, revokedAt: string | null, revokedReason: string, 
/**
 * The last package sent to it (0: none yet; the next one is complete).
 */
sentSeq: number, 
/**
 * The last package received from it and applied.
 */
receivedSeq: number, 
/**
 * The last package of ours it says it has applied.
 */
ackedSeq: number, 
/**
 * Packages sent to it and not yet acknowledged: kept, to be written
 * again if one is lost on the way (`exchange resend`).
 */
unacknowledged: Array<number>, };

export type SiteStatus = { 
/**
 * This site's card; none before the identity is set.
 */
card: SiteCard | null, partners: Array<Partner>, };

export type Exported = { path: string, bytes: number, manifest: Manifest, };

export type ImportReport = { sender: string, senderName: string, seq: number, complete: boolean, 
/**
 * Already applied: nothing was changed.
 */
replay: boolean, applied: boolean, counts: Array<KindCount>, 
/**
 * Every conflict met and how it was resolved; the losing version is kept.
 */
conflicts: Array<Conflict>, 
/**
 * The sender's audit entries the package carries (kept here, continuing its chain).
 */
audit: AuditSpan | null, };

export type Manifest = { sender: string, senderName: string, recipient: string, seq: number, 
/**
 * The sender's archive schema version.
 */
schemaVersion: number, createdAt: string, 
/**
 * The first package to this partner carries everything.
 */
complete: boolean, 
/**
 * Rows per record kind (table label → inserted, updated, deleted).
 */
counts: Array<KindCount>, 
/**
 * The last package from the recipient the sender has applied: the
 * recipient drops its kept copies up to it (they cannot be lost any more).
 */
acknowledged: number, 
/**
 * The sender's audit entries the package carries (to the site above).
 */
audit: AuditSpan | null, };

export type KindCount = { 
/**
 * The table.
 */
kind: string, 
/**
 * What a user calls it (干部, 谋事评价 …).
 */
label: string, inserted: number, updated: number, deleted: number, };

export type AuditSpan = { first: number, last: number, head: string, 
/**
 * The sender's entries up to this one name records by their ids before the
 * sender's renumbering (`site_identity.renumbered_through`).
 */
renumberedThrough: number, };

export type Conflict = { table: string, 
/**
 * What a user calls the record (干部, 谋事评价 …).
 */
label: string, 
/**
 * The row's key values, e.g. `[5588…]`.
 */
key: string, 
/**
 * 本地已改动 / 本地已删除 / 本地已有 / 约束冲突.
 */
kind: string, 
/**
 * 以发送方为准 / 未应用.
 */
resolution: string, 
/**
 * The version that lost (this archive's), as column → value.
 */
kept: unknown, };

export type AssessRequest = { year: number, 
/**
 * Only cadres in this unit's subtree.
 */
unitId: number | null, 
/**
 * Only this cadre.
 */
cadreId: number | null, 
/**
 * Judge as of this date: nothing dated after it counts. Default: the year's
 * last day (or today if earlier) for work records, every decision whenever
 * taken (see [`asof::AsOf`] and docs/assessment.md, 日期规则).
 */
asOf: string | null, };

export type AssessmentReport = { year: number, asOf: string, 
/**
 * What the as-of date lets count, in words (explicit date or the default).
 */
dateRule: string, schemeVersion: number, cadres: Array<CadreAssessment>, 
/**
 * The quota of every 考核单位 the listed cadres belong to.
 */
quotas: Array<QuotaLine>, 
/**
 * False for a year-end list ([`Archive::appraisal_list`]): each number's
 * explanation holds only its top line and the per-initiative assessments are
 * left out; assessing one cadre gives the whole tree.
 */
explained: boolean, };

export type FinalGradeInput = { cadreId: number, year: number, grade: Grade, 
/**
 * Required when the grade differs from the suggestion.
 */
reason: string, decidedBy: string, decidedOn: string, };

export type FinalGrade = { id: number, 
/**
 * The suggestion at the time of the decision, and the scheme version behind it.
 */
suggested: Grade, schemeVersion: number, cadreId: number, year: number, grade: Grade, 
/**
 * Required when the grade differs from the suggestion.
 */
reason: string, decidedBy: string, decidedOn: string, };

export type Dimension = { 
/**
 * 想干事 / 会干事 / 干成事 / 不出事.
 */
name: string, 
/**
 * 优 / 良 / 中 / 差, or 暂无依据.
 */
level: string, score: Explanation, 
/**
 * Every record behind the score.
 */
records: Array<Source>, };

export type EligibilityCheck = { rule: string, passed: boolean, detail: string, };

export type YearGrade = { year: number, grade: Grade | null, };

export type PromotionSummary = { cadreId: number, name: string, post: string, unitName: string, year: number, asOf: string, schemeVersion: number, window: Array<number>, dimensions: Array<Dimension>, grades: Array<YearGrade>, eligibility: Array<EligibilityCheck>, eligible: boolean, decisions: Array<DecisionNote>, };

export type StageWeights = { plan: number, execution: number, outcome: number, };

export type PlanRules = { 
/**
 * Weight of the 组织部门 rating against the 主要负责同志 rating.
 */
orgDeptWeight: number, unitLeaderWeight: number, 
/**
 * Weights of 创新性, 挑战性, 攻坚性.
 */
innovationWeight: number, challengeWeight: number, difficultyWeight: number, };

export type ExecutionRules = { 
/**
 * Weight of milestone adherence (share of due milestones met on time).
 */
adherenceWeight: number, 
/**
 * Weight of the trackers' ratings.
 */
trackingWeight: number, 
/**
 * Points off per overdue day, summed over milestones, up to the cap.
 */
overduePenaltyPerDay: number, overduePenaltyCap: number, 
/**
 * Points for each tracking record of conduct in key/urgent/critical work, up to the cap.
 */
conductBonus: number, conductBonusCap: number, };

export type OutcomeRules = { 
/**
 * Base score for 完全实现 / 基本实现 / 部分实现 / 未实现.
 */
full: number, basic: number, partial: number, notAchieved: number, 
/**
 * Bonus per recognition by level, up to the cap.
 */
nationalBonus: number, provincialBonus: number, municipalBonus: number, countyBonus: number, recognitionCap: number, };

export type GroupWeight = { group: RaterGroup, weight: number, };

export type EvaluationRules = { 
/**
 * Points a vote of each grade is worth (0–100).
 */
excellentVote: number, competentVote: number, basicVote: number, incompetentVote: number, 
/**
 * Weight of each rater group when groups are combined.
 */
groupWeights: Array<GroupWeight>, };

export type Deduction = { kind: AccountabilityKind, 
/**
 * `None`: every subtype of the kind.
 */
subtype: string | null, points: number, 
/**
 * The best grade allowed while the record is in effect.
 */
maxGrade: Grade, };

export type NegativeRules = { 
/**
 * Points off per accountability record in effect, and the grade it caps.
 */
accountability: Array<Deduction>, 
/**
 * Points off per inaction finding in effect.
 */
inaction: number, 
/**
 * Points off per interview / problem item past its deadline and not closed by it.
 */
overdueRectification: number, cap: number, };

export type CompositeRules = { 
/**
 * 实绩 (work achievements), 官评 (民主测评), 民评 (群众评议).
 */
achievementWeight: number, officialWeight: number, publicWeight: number, 
/**
 * Role weights of an initiative in the achievement part.
 */
leadWeight: number, memberWeight: number, 
/**
 * Lowest composite for 优秀 / 称职 / 基本称职; below is 不称职.
 */
excellentFrom: number, competentFrom: number, basicFrom: number, 
/**
 * Share of a 考核单位's assessed cadres that may be suggested 优秀.
 */
excellentQuota: number, 
/**
 * A 考核单位 with fewer assessed cadres than this shares the quota of the unit above it.
 */
quotaMinUnitSize: number, 
/**
 * 优秀 needs at least one item of the year that reached 干事 and was assessed
 * there or in 成事: a plan alone is an intention, not an achievement
 * (从实干看优劣、凭实绩选干部). Schemes saved before this rule read as `true`.
 */
excellentNeedsDelivery: boolean, };

export type PromotionRules = { 
/**
 * Years looked back for the four dimensions and the grade check.
 */
years: number, 
/**
 * Bonus per initiative led (想干事), up to the cap.
 */
leadBonus: number, leadBonusCap: number, 
/**
 * Level thresholds: 优 / 良 / 中 (below: 差).
 */
excellentFrom: number, goodFrom: number, fairFrom: number, 
/**
 * Every final grade of the window must be at least this.
 */
minGrade: Grade, 
/**
 * Months in the current post at least.
 */
minMonthsInPost: number, };

export type Scheme = { stageWeights: StageWeights, plan: PlanRules, execution: ExecutionRules, outcome: OutcomeRules, evaluation: EvaluationRules, negative: NegativeRules, composite: CompositeRules, promotion: PromotionRules, 
/**
 * Schemes saved before the 工作台 have the default thresholds.
 */
warnings: WarningRules, };

export type SchemeVersion = { year: number, 
/**
 * 0 is the built-in default; saved versions count from 1.
 */
version: number, scheme: Scheme, savedAt: string, savedBy: string, note: string, };

export type EvaluationView = { evaluation: Evaluation, protection: Protection | null, };

export type ReportView = { report: Report, clearing: Clearing | null, };

export type CadreRecords = { evaluations: Array<EvaluationView>, negatives: Array<Negative>, reports: Array<ReportView>, toleranceCases: Array<ToleranceCase>, finalGrades: Array<FinalGrade>, 
/**
 * Leader reviews (批示) of the dossier and of comparisons the cadre was in.
 */
reviews: Array<Review>, };

export type AuditEntry = { id: number, at: string, actor: string, 
/**
 * 创建, 更正, 推进到干事, 中止, 导入, 导出, 备份…
 */
action: string, 
/**
 * `entity#id`, or `archive`.
 */
object: string, 
/**
 * The cadre the change concerns, when known (for filtering).
 */
cadreId: number | null, 
/**
 * SHA-256 of the record before the change (empty for a creation).
 */
beforeDigest: string, 
/**
 * SHA-256 of the record after the change.
 */
afterDigest: string, prevHash: string, hash: string, 
/**
 * The digest of every record table's seal after this change
 * (`archive::seal`); empty for entries written before schema version 13.
 */
stateDigest: string, };

export type ChainReport = { entries: number, ok: boolean, 
/**
 * The first entry that does not verify, and why.
 */
firstBroken: number | null, problem: string | null, 
/**
 * The kinds of record (as a user calls them) whose rows no longer match
 * what the trail sealed: changed, added or removed outside the program.
 */
changedRecords: Array<string>, 
/**
 * Whether the chain's head was checked against the anchor in the key file.
 */
anchored: boolean, 
/**
 * The partner sites' chains this archive keeps (the city keeps each
 * county's, as the county's packages brought it: docs/exchange.md).
 */
sites: Array<SiteChain>, };

export type SiteChain = { code: string, name: string, entries: number, ok: boolean, problem: string | null, };

export type AuditFilter = { actor: string | null, cadreId: number | null, action: string | null, 
/**
 * Inclusive `YYYY-MM-DD` bounds on the entry's date.
 */
from: string | null, to: string | null, 
/**
 * Newest first; at most this many (default 500).
 */
limit: number | null, 
/**
 * A partner site's chain kept here (its code); none: this archive's own.
 */
site: string | null, };

export type BackupReport = { path: string, bytes: number, auditEntries: number, };

export type Settings = { lastArchive: string | null, 
/**
 * Where automatic backups go (default: the app's data folder / backups).
 */
backupDir: string | null, 
/**
 * How many automatic backups to keep per archive (default 10).
 */
backupKeep: number | null, 
/**
 * Lock the app after this many idle minutes (default 10; 0 never).
 */
idleMinutes: number | null, };

export type ReviewTarget = "cadre" | "comparison";

export type ReviewInput = { targetKind: ReviewTarget, 
/**
 * The cadre, or the compared cadres.
 */
cadreIds: Array<number>, 
/**
 * The review this one follows up.
 */
parentId: number | null, text: string, 
/**
 * 签阅: the leader signs the review off.
 */
signedOff: boolean, };

export type Review = { id: number, author: string, at: string, targetKind: ReviewTarget, 
/**
 * The cadre, or the compared cadres.
 */
cadreIds: Array<number>, 
/**
 * The review this one follows up.
 */
parentId: number | null, text: string, 
/**
 * 签阅: the leader signs the review off.
 */
signedOff: boolean, };

export type Role = "系统管理员" | "档案管理员" | "领导" | "考核办";

export type Session = { user: string, displayName: string, roles: Array<Role>, 
/**
 * Scope: every unit …
 */
allUnits: boolean, 
/**
 * … or the subtrees of these units.
 */
units: Array<number>, 
/**
 * Signed in with the recovery key (administrator rights, recorded as such).
 */
recovery: boolean, };

export type UserInput = { 
/**
 * Sign-in name (letters, digits, `_ - .`, or Chinese).
 */
name: string, displayName: string, roles: Array<Role>, 
/**
 * Scope: every unit …
 */
allUnits: boolean, 
/**
 * … or the subtrees of these units.
 */
units: Array<number>, };

export type User = { id: number, active: boolean, createdAt: string, createdBy: string, 
/**
 * The user has a keyslot (can sign in).
 */
canSignIn: boolean, 
/**
 * Sign-in name (letters, digits, `_ - .`, or Chinese).
 */
name: string, displayName: string, roles: Array<Role>, 
/**
 * Scope: every unit …
 */
allUnits: boolean, 
/**
 * … or the subtrees of these units.
 */
units: Array<number>, };

export type ArchiveFileState = "missing" | "plain" | "encrypted";

export type FormatError = { file: string, 
/**
 * `XingMing`, `第 3 行 C 列（出生年月）`, … (empty: the whole file).
 */
location: string, message: string, };

export type Action = "create" | "update" | "unchanged";

export type FieldChange = { field: string, before: string, after: string, };

export type PlannedCadre = { source: string, action: Action, cadreId: number | null, name: string, changes: Array<FieldChange>, };

export type ImportPreview = { files: number, items: Array<PlannedCadre>, errors: Array<FormatError>, 
/**
 * What was read but not imported (a column, a footer line), named: it does
 * not stop the import.
 */
warnings: Array<FormatError>, created: number, updated: number, unchanged: number, 
/**
 * Whether it was written (false for a preview or when there were errors).
 */
committed: boolean, };

export type ImportOptions = { 
/**
 * The unit of new cadres whose file names none of the archive's units (an
 * LRMX whose 现任职务 names no unit of the archive, a roster row without one).
 */
unit: number | null, 
/**
 * The 管理权限 of new cadres whose file does not state it (LRMX has no such
 * element); 「其他」 when not chosen.
 */
level: ManagementLevel | null, };

export type ClerkDesk = { asOf: string, 
/**
 * The thresholds applied, in words.
 */
rule: string, 
/**
 * Items warned of, by level (all of them, whatever `warnings` shows).
 */
red: number, orange: number, yellow: number, 
/**
 * The worst first, at most [`SHOWN`] (of the level asked for, if any).
 */
warnings: Array<ItemWarning>, awaitingRating: Array<AwaitingRating>, awaitingRatingTotal: number, trackingDue: Array<TrackingDue>, trackingDueTotal: number, overdueRectifications: Array<OverdueRectification>, overdueRectificationsTotal: number, pending: Array<PendingMatter>, pendingTotal: number, 
/**
 * Every unit with a warning, the most red first.
 */
units: Array<UnitCounts>, 
/**
 * How many rows each list shows at most (the totals say how many there are).
 */
shown: number, };

export type ItemWarning = { level: WarningLevel, initiativeId: number, title: string, stage: string, leadCadreId: number, leadName: string, unitId: number, unitName: string, 
/**
 * In words: 「节点「主体完工」已逾期 45 天」.
 */
reasons: Array<string>, 
/**
 * The longest a milestone or the plan's date is overdue (days; 0 when only due soon).
 */
overdueDays: number, };

export type WarningLevel = "黄" | "橙" | "红";

export type AwaitingRating = { initiativeId: number, title: string, leadName: string, unitName: string, missing: Array<RaterRole>, };

export type TrackingDue = { initiativeId: number, title: string, leadName: string, unitName: string, 
/**
 * The last tracking's date, if any.
 */
last: string | null, };

export type OverdueRectification = { cadreId: number, cadreName: string, unitName: string, kind: string, deadline: string, overdueDays: number, };

export type PendingMatter = { cadreId: number, cadreName: string, unitName: string, 
/**
 * 举报核查 / 容错认定
 */
kind: string, since: string, };

export type UnitCounts = { unitId: number, unitName: string, red: number, orange: number, yellow: number, };

export type LeaderDesk = { asOf: string, 
/**
 * Threads not yet signed off (签阅), oldest first.
 */
awaiting: Array<ReviewThread>, 
/**
 * The latest threads, newest first (at most 10).
 */
recent: Array<ReviewThread>, 
/**
 * Items that reached 成事 in the last 180 days with a 国家级 or 省级 recognition.
 */
results: Array<RecentResult>, };

export type ReviewThread = { targetKind: ReviewTarget, cadreIds: Array<number>, 
/**
 * The cadres' names, 「张三、李四」.
 */
names: string, first: Review, followUps: number, latestAt: string, signedOff: boolean, };

export type RecentResult = { cadreId: number, cadreName: string, unitName: string, initiativeId: number, title: string, reachedOn: string, 
/**
 * 「省级：全省河湖长制工作先进集体（省政府，2025-10-10）」
 */
recognition: string, };

export type AppraisalDesk = { year: number, asOf: string, units: Array<UnitProgress>, 
/**
 * Units with every grade decided (a unit only partly in the scope is never
 * counted finished: its other cadres cannot be seen).
 */
finishedUnits: number, 
/**
 * The grade names in the order of `distribution`.
 */
grades: Array<Grade>, };

export type UnitProgress = { unitId: number, unitName: string, 
/**
 * Cadres the 考核单位 assesses (its quota is reckoned on all of them).
 */
assessed: number, 
/**
 * Of those, the cadres in the reader's scope: the counts below are of these.
 * Less than `assessed` where the 考核单位 is only partly in the scope.
 */
visible: number, 
/**
 * Cadres whose grade the committee has decided.
 */
decided: number, 
/**
 * 优秀 places (floor of assessed × quota).
 */
allowed: number, 
/**
 * 优秀 decided, or suggested where not yet decided.
 */
excellent: number, 
/**
 * Decided grades that differ from the suggestion they were decided against.
 */
differing: number, 
/**
 * How many of each grade (decided, else suggested), in the order of `Grade::ALL`.
 */
distribution: Array<number>, };

export type RaterCalibration = { raterRole: RaterRole, 
/**
 * The unit of the items' leads.
 */
unitId: number, unitName: string, ratings: number, 
/**
 * Mean of the three scores, 1–5.
 */
mean: number, 
/**
 * Standard deviation of the three-score means.
 */
spread: number, 
/**
 * Share of single scores that are 5.
 */
shareOfFives: number, 
/**
 * The other units' mean for the same group on the same categories (weighted like this unit's).
 */
othersMean: number | null, 
/**
 * 偏松 / 偏严 / empty.
 */
flag: string, 
/**
 * The flag's reason in words.
 */
reason: string, 
/**
 * The rated items, to click through.
 */
initiativeIds: Array<number>, };

export type WarningRules = { 
/**
 * 黄: an open milestone due within this many days …
 */
dueSoonDays: number, 
/**
 * … or overdue up to this many days.
 */
yellowOverdueDays: number, 
/**
 * 橙: overdue up to this many days (beyond: 红) …
 */
orangeOverdueDays: number, 
/**
 * … or this many late milestones on one item.
 */
lateMilestonesOrange: number, };

export type AppraisalTexts = { cadreId: number, year: number, name: string, 
/**
 * The texts kept, or the drafts while none are.
 */
summary: string, leaderComment: string, 
/**
 * Whether the texts above are kept (false: they are the drafts).
 */
saved: boolean, 
/**
 * Drafts from the year's work, to start again from.
 */
draftSummary: string, draftComment: string, 
/**
 * The grade printed beside the comment: the one the committee decided
 * against once it has decided, the current suggestion before.
 */
suggested: Grade, };

export type AppraisalTextInput = { cadreId: number, year: number, 
/**
 * 个人总结, first person.
 */
summary: string, 
/**
 * 主管领导评语 (the 建议等次 is printed beside it from the assessment).
 */
leaderComment: string, };

export type AppraisalText = { id: number, cadreId: number, year: number, 
/**
 * 个人总结, first person.
 */
summary: string, 
/**
 * 主管领导评语 (the 建议等次 is printed beside it from the assessment).
 */
leaderComment: string, };

export type StaffCategory = "公务员" | "参照公务员法管理" | "事业单位";

export type ExportReport = { dir: string, 
/**
 * File names written, the roster last.
 */
files: Array<string>, };

export type Education = { 
/**
 * 学历 (e.g. 大学、研究生).
 */
level: string, 
/**
 * 学位 (e.g. 工学学士).
 */
degree: string, 
/**
 * 毕业院校系及专业 for the 学历.
 */
levelSchool: string, 
/**
 * … for the 学位.
 */
degreeSchool: string, };

export type FamilyMember = { 
/**
 * 称谓
 */
relation: string, name: string, 
/**
 * 出生日期 as written (YYYY-MM when it could be read).
 */
birth: string, 
/**
 * 政治面貌
 */
political: string, 
/**
 * 工作单位及职务
 */
work: string, };

export type Profile = { 
/**
 * 政治面貌 (中共党员 …), as the 任免审批表 writes it.
 */
political: string, 
/**
 * 出生地
 */
birthplace: string, 
/**
 * 健康状况
 */
health: string, 
/**
 * 专业技术职务
 */
techTitle: string, 
/**
 * 熟悉专业有何专长
 */
speciality: string, 
/**
 * 全日制教育
 */
fullTime: Education, 
/**
 * 在职教育
 */
inService: Education, 
/**
 * 简历 (one line per period)
 */
resume: string, 
/**
 * 奖惩情况
 */
rewards: string, 
/**
 * 年度考核结果, as written in the file
 */
appraisalResults: string, 
/**
 * 拟任职务
 */
proposedPost: string, 
/**
 * 拟免职务
 */
proposedRemoval: string, 
/**
 * 任免理由
 */
appointmentReason: string, 
/**
 * 呈报单位
 */
reportUnit: string, 
/**
 * 计算年龄时间
 */
ageDate: string, 
/**
 * 填表时间
 */
filledOn: string, 
/**
 * 填表人
 */
filledBy: string, family: Array<FamilyMember>, 
/**
 * The LRMX `Version` the profile was read from.
 */
version: string, 
/**
 * 现任职务 as the form wrote it (「燕州市丰河县委常委、副县长」): written back as it
 * was while the archive's post, 职级 and unit still read the same from it.
 */
currentPost: string, 
/**
 * Whether a photo is stored (the bytes are kept apart).
 */
hasPhoto: boolean, };

export type JobStatus = { 
/**
 * What it is doing now, e.g. 读取并计算 / 写入 / 导出登记表.
 */
phase: string, done: number, total: number, 
/**
 * What the steps count, in words: 名干部, 个干事事项, 个文件 (empty when
 * they are just steps).
 */
counting: string, };

export type HitKind = "cadre" | "initiative";

export type SearchHit = { kind: HitKind, id: number, 
/**
 * The cadre's name or the initiative's title.
 */
title: string, 
/**
 * Unit and post of a cadre; lead cadre and stage of an initiative.
 */
subtitle: string, 
/**
 * Where the query matched: 姓名, 拼音, 职务, 单位, 标题, 概要, 成效.
 */
matched: string, 
/**
 * A short excerpt around the match, when it is in a longer text.
 */
excerpt: string | null, };

export type SearchResults = { query: string, cadres: Array<SearchHit>, initiatives: Array<SearchHit>, 
/**
 * More cadres matched than were returned.
 */
moreCadres: boolean, moreInitiatives: boolean, };

export type PageRequest = { offset: number, limit: number, };

export type CadrePage = { rows: Array<Cadre>, 
/**
 * How many cadres match in all (within the user's scope).
 */
total: number, };

export type InitiativePage = { rows: Array<InitiativeRow>, total: number, };
