// Generated from the Rust core by `make types` (ganshi::ts::bindings). Do not edit.

export type UnitKind = "市" | "县(市、区)" | "开发区" | "市直部门" | "市属企事业单位" | "乡镇(街道)" | "科室" | "其他";

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
rank: string, unitId: number, managementLevel: ManagementLevel, status: CadreStatus, idNumber: string | null, };

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
rank: string, unitId: number, managementLevel: ManagementLevel, status: CadreStatus, idNumber: string | null, };

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

export type InitiativeRow = { id: number, category: Category, title: string, stage: Stage, startDate: string, stopped: boolean, leadCadreId: number, leadName: string, unitName: string, };

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

export type ParticipantView = { cadreId: number, name: string, role: ParticipantRole, };

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

export type ImportSummary = { units: number, cadres: number, posts: number, initiatives: number, evidence: number, revisions: number, };

export type ErrorDto = { code: string, message: string, field: string | null, 
/**
 * For `transition_blocked`: each unmet precondition.
 */
missing: Array<string>, };

export type AppStatus = { 
/**
 * The open archive, if any.
 */
archivePath: string | null, lastArchive: string | null, 
/**
 * Suggested path for a new archive.
 */
defaultNewPath: string, 
/**
 * Where the demo archive lives.
 */
demoPath: string, version: string, today: string, };
