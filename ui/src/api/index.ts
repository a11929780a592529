// The only module that talks to the Tauri side. One typed function per command.
import { invoke } from '@tauri-apps/api/core'
import { listen } from '@tauri-apps/api/event'
import type * as T from './types'

export type * from './types'

/** A new archive's recovery key, shown once. */
export interface Created {
  status: T.AppStatus
  recoveryKey: string
}

/** Fired when the core reports the app locked (idle time); the shell goes back to sign-in. */
export const LOCKED_EVENT = 'ganshi-locked'

export interface EvidenceContent {
  meta: T.EvidenceMeta
  contentBase64: string
}

/** Every failed call rejects with an ErrorDto ({code, message, field, missing}). */
export function asError(e: unknown): T.ErrorDto {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return e as T.ErrorDto
  return { code: 'internal', message: String(e), field: null, missing: [] }
}

/** Each call is a User Timing measure `ipc <command>` (`make bench` reads them to break down the cold start). */
function measure(cmd: string, start: number) {
  try {
    performance.measure(`ipc ${cmd}`, { start, end: performance.now() })
  } catch {
    // Timing is a diagnostic; never let it fail a call.
  }
}

async function call<R>(cmd: string, args?: Record<string, unknown>): Promise<R> {
  const start = performance.now()
  try {
    return await invoke<R>(cmd, args)
  } catch (e) {
    const error = asError(e)
    if (error.code === 'locked') window.dispatchEvent(new Event(LOCKED_EVENT))
    throw error
  } finally {
    measure(cmd, start)
  }
}

export const api = {
  appStatus: () => call<T.AppStatus>('app_status'),
  createArchive: (path: string, password: string) => call<Created>('create_archive', { path, password }),
  selectArchive: (path: string) => call<T.AppStatus>('select_archive', { path }),
  encryptArchive: (path: string, password: string) => call<Created>('encrypt_archive', { path, password }),
  createDemo: (password: string) => call<Created>('create_demo', { password }),
  selectDemo: () => call<T.AppStatus>('select_demo'),
  login: (user: string, password: string) => call<T.AppStatus>('login', { user, password }),
  loginRecovery: (recoveryKey: string) => call<T.AppStatus>('login_recovery', { recoveryKey }),
  lockArchive: (logout: boolean) => call<T.AppStatus>('lock_archive', { logout }),
  closeArchive: () => call<T.AppStatus>('close_archive'),
  setIdleMinutes: (minutes: number) => call<T.AppStatus>('set_idle_minutes', { minutes }),

  listUsers: () => call<T.User[]>('list_users'),
  addUser: (input: T.UserInput, password: string) => call<T.User>('add_user', { input, password }),
  updateUser: (name: string, input: T.UserInput) => call<T.User>('update_user', { name, input }),
  setUserPassword: (name: string, password: string) => call<null>('set_user_password', { name, password }),
  changeOwnPassword: (current: string, password: string) => call<null>('change_own_password', { current, password }),
  deactivateUser: (name: string) => call<null>('deactivate_user', { name }),

  listUnits: () => call<T.Unit[]>('list_units'),
  createUnit: (input: T.UnitInput) => call<T.Unit>('create_unit', { input }),
  updateUnit: (id: number, input: T.UnitInput, reason: string) => call<T.Unit>('update_unit', { id, input, reason }),

  /** The named cadres (in scope), to show who a picker holds. */
  cadresById: (ids: number[]) => call<T.Cadre[]>('cadres_by_id', { ids }),
  cadresPage: (unitId: number | null, name: string | null, page: T.PageRequest) =>
    call<T.CadrePage>('cadres_page', { unitId, name, page }),
  initiativesPage: (filter: T.InitiativeFilter, page: T.PageRequest) => call<T.InitiativePage>('initiatives_page', { filter, page }),
  search: (query: string, limit: number) => call<T.SearchResults>('search', { query, limit }),
  listCadres: (unitId: number | null, name: string | null) => call<T.Cadre[]>('list_cadres', { unitId, name }),
  getDossier: (cadreId: number) => call<T.Dossier>('get_dossier', { cadreId }),
  createCadre: (input: T.CadreInput, postSince: string | null) => call<T.Cadre>('create_cadre', { input, postSince }),
  updateCadre: (id: number, input: T.CadreInput, reason: string) => call<T.Cadre>('update_cadre', { id, input, reason }),
  transferCadre: (cadreId: number, input: T.Transfer) => call<T.Cadre>('transfer_cadre', { cadreId, input }),

  listInitiatives: (filter: T.InitiativeFilter) => call<T.InitiativeRow[]>('list_initiatives', { filter }),
  getInitiative: (id: number) => call<T.InitiativeView>('get_initiative', { id }),
  createInitiative: (input: T.InitiativeInput) => call<T.Initiative>('create_initiative', { input }),
  updateInitiative: (id: number, input: T.InitiativeInput, reason: string) =>
    call<T.Initiative>('update_initiative', { id, input, reason }),
  savePlan: (initiativeId: number, input: T.PlanInput, reason: string) =>
    call<T.Plan>('save_plan', { initiativeId, input, reason }),
  addMilestone: (initiativeId: number, input: T.MilestoneInput) => call<T.Milestone>('add_milestone', { initiativeId, input }),
  updateMilestone: (id: number, input: T.MilestoneInput, reason: string) =>
    call<T.Milestone>('update_milestone', { id, input, reason }),
  ratePlan: (initiativeId: number, input: T.RatingInput, reason: string) =>
    call<T.PlanRating>('rate_plan', { initiativeId, input, reason }),
  addTracking: (initiativeId: number, input: T.TrackingInput) => call<T.Tracking>('add_tracking', { initiativeId, input }),
  recordOutcome: (initiativeId: number, input: T.OutcomeInput, reason: string) =>
    call<T.Outcome>('record_outcome', { initiativeId, input, reason }),
  addRecognition: (initiativeId: number, input: T.RecognitionInput) =>
    call<T.Recognition>('add_recognition', { initiativeId, input }),
  readiness: (initiativeId: number) => call<T.Readiness>('readiness', { initiativeId }),
  advance: (initiativeId: number, date: string, note: string) => call<T.Initiative>('advance', { initiativeId, date, note }),
  stopInitiative: (initiativeId: number, date: string, reason: string) =>
    call<T.Initiative>('stop_initiative', { initiativeId, date, reason }),

  addEvidence: (ownerKind: T.OwnerKind, ownerId: number, name: string, contentBase64: string) =>
    call<T.EvidenceMeta>('add_evidence', { ownerKind, ownerId, name, contentBase64 }),
  getEvidence: (id: number) => call<EvidenceContent>('get_evidence', { id }),
  history: (entity: string, id: number) => call<T.Revision[]>('history', { entity, id }),

  assess: (request: T.AssessRequest) => call<T.AssessmentReport>('assess', { request }),
  promotionEvidence: (cadreId: number, year: number) => call<T.PromotionSummary>('promotion_evidence', { cadreId, year }),
  compare: (ids: number[], year: number) => call<T.PromotionSummary[]>('compare', { ids, year }),
  cadreRecords: (cadreId: number) => call<T.CadreRecords>('cadre_records', { cadreId }),
  addEvaluation: (input: T.EvaluationInput) => call<T.Evaluation>('add_evaluation', { input }),
  protectEvaluation: (input: T.ProtectionInput) => call<T.Protection>('protect_evaluation', { input }),
  addNegative: (input: T.NegativeInput) => call<T.Negative>('add_negative', { input }),
  effectPeriods: () => call<T.EffectPeriodRow[]>('effect_periods', {}),
  closeNegative: (id: number, date: string, note: string) => call<T.Negative>('close_negative', { id, date, note }),
  addReport: (input: T.ReportInput) => call<T.Report>('add_report', { input }),
  recordFinding: (reportId: number, input: T.FindingInput) => call<T.Report>('record_finding', { reportId, input }),
  addToleranceCase: (input: T.ToleranceInput) => call<T.ToleranceCase>('add_tolerance_case', { input }),
  decideToleranceCase: (id: number, input: T.ToleranceInput, reason: string) =>
    call<T.ToleranceCase>('decide_tolerance_case', { id, input, reason }),
  benchmarkCases: () => call<T.ToleranceCase[]>('benchmark_cases'),
  recordFinalGrade: (input: T.FinalGradeInput) => call<T.FinalGrade>('record_final_grade', { input }),
  getScheme: (year: number) => call<T.SchemeVersion>('get_scheme', { year }),
  saveScheme: (year: number, scheme: T.Scheme, note: string) => call<T.SchemeVersion>('save_scheme', { year, scheme, note }),

  auditEntries: (filter: T.AuditFilter) => call<T.AuditEntry[]>('audit_entries', { filter }),
  verifyAudit: () => call<T.ChainReport>('verify_audit'),
  backupNow: () => call<T.BackupReport>('backup_now'),
  addReview: (input: T.ReviewInput) => call<T.Review>('add_review', { input }),

  /** Long operations run as job `job` (see `useJob`): progress as `job-progress` events, cancellable. */
  /** The year-end list: numbers and grades, explanations cut to their top line (`assess` one cadre for the tree). */
  appraisalList: (request: T.AssessRequest, job: number) => call<T.AssessmentReport>('appraisal_list', { request, job }),
  appraisalTexts: (cadreId: number, year: number) => call<T.AppraisalTexts>('appraisal_texts', { cadreId, year }),
  saveAppraisalTexts: (input: T.AppraisalTextInput) => call<T.AppraisalText>('save_appraisal_texts', { input }),
  openFolder: (path: string) => call<null>('open_folder', { path }),
  clerkDesk: (unitId: number | null, level: T.WarningLevel | null) => call<T.ClerkDesk>('clerk_desk', { unitId, level }),
  leaderDesk: () => call<T.LeaderDesk>('leader_desk'),
  raterCalibration: (year: number) => call<T.RaterCalibration[]>('rater_calibration', { year }),
  siteStatus: () => call<T.SiteStatus>('site_status'),
  siteIdentity: (code: string, name: string) => call<T.SiteCard>('site_identity', { code, name }),
  exportSiteCard: (dir: string) => call<string>('export_site_card', { dir }),
  trustPartner: (path: string, unitId: number | null) => call<T.Partner>('trust_partner', { path, unitId }),
  revokePartner: (code: string, reason: string) => call<T.Partner>('revoke_partner', { code, reason }),
  exportPackage: (to: string, dir: string) => call<T.Exported>('export_package', { to, dir }),
  about: () => call<T.AboutInfo>('about'),
  resendPackage: (to: string, seq: number, dir: string) => call<T.Exported>('resend_package', { to, seq, dir }),
  importPackage: (path: string, dryRun: boolean) => call<T.ImportReport>('import_package', { path, dryRun }),
  appraisalDesk: (year: number, job: number) => call<T.AppraisalDesk>('appraisal_desk', { year, job }),
  importFiles: (paths: string[], options: T.ImportOptions, dryRun: boolean, job: number) =>
    call<T.ImportPreview>('import_files', { paths, options, dryRun, job }),
  /** A unit's appraisal sheets into a folder. */
  exportAppraisal: (year: number, unitId: number, dir: string, job: number) =>
    call<T.ExportReport>('export_appraisal', { year, unitId, dir, job }),
  cancelJob: (job: number) => call<boolean>('cancel_job', { job }),
  /** Follow job `job`'s progress; returns the function that stops listening. */
  onJobProgress: (job: number, handler: (status: T.JobStatus) => void) =>
    listen<{ id: number; status: T.JobStatus }>('job-progress', (e) => {
      if (e.payload.id === job) handler(e.payload.status)
    }),
  exportDossier: (cadreId: number, year: number, path: string) => call<string>('export_dossier', { cadreId, year, path }),
  exportLrmx: (cadreId: number, path: string) => call<string>('export_lrmx', { cadreId, path }),
  exportComparison: (ids: number[], year: number, path: string) => call<string>('export_comparison', { ids, year, path }),
  defaultExportDir: () => call<string>('default_export_dir'),
  getProfile: (cadreId: number) => call<{ profile: T.Profile | null; photo: string | null }>('get_profile', { cadreId }),
}
