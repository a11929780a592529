/**
 * What a user calls each field of a record, for the revision history and any
 * other place a record is shown field by field. Fields not listed here are the
 * archive's internal links (ids) and are not shown.
 */
export const FIELD_LABELS: Record<string, string> = {
  name: '名称/姓名', gender: '性别', birth: '出生年月', ethnicity: '民族', nativePlace: '籍贯', partyDate: '入党时间',
  workStart: '参加工作时间', education: '学历', post: '现任职务', rank: '职级', unitId: '单位', managementLevel: '管理权限',
  status: '状态', idNumber: '身份证号', staffCategory: '人员类别', code: '单位代码', kind: '类别', sortOrder: '排序',
  parentId: '上级单位', title: '标题/职务', summary: '内容摘要', category: '类别', stage: '阶段', startDate: '开始日期',
  endDate: '结束日期', note: '备注', stoppedOn: '中止日期', stopReason: '中止原因', participants: '参与干部',
  tags: '表现类别', goal: '目标（干什么）', measures: '措施（怎么干）', responsibleUnitId: '责任单位',
  responsiblePerson: '责任人', deadline: '完成时间', dueDate: '计划完成日期', doneDate: '实际完成日期',
  raterRole: '评价方', raterName: '评价人', innovation: '创新性', challenge: '挑战性', difficulty: '攻坚性',
  comment: '评语', ratedOn: '评价日期', date: '日期', progress: '进度（%）', narrative: '记实', conductTag: '表现类别',
  conduct: '具体表现', rating: '评分', tracker: '记录人', achievement: '实现程度', recordedOn: '记录日期',
  metrics: '成效指标', level: '级别', body: '授予机关', year: '年度', grade: '等次', reason: '理由',
  decidedBy: '决定机关', decidedOn: '决定日期', suggested: '建议等次', leaderComment: '主管领导评语',
  detail: '详情', receivedOn: '收件日期', source: '来源', finding: '核查结论', foundOn: '核查日期',
  investigatedBy: '核查机关', findingNote: '核查说明', decision: '决定', benchmark: '标杆案例', nature: '性质',
  basis: '依据', motive: '动机', process: '过程', orientation: '导向', correction: '纠错', votes: '票数',
  score: '得分', heldOn: '测评日期', raterGroup: '测评群体', text: '批示内容', signedOff: '签阅', author: '批示人',
  political: '政治面貌', resume: '简历', rewards: '奖惩情况', appraisalResults: '年度考核结果', family: '家庭成员',
}

/** A value as a reader expects to see it: 是/否, —, lists joined, nested records counted. */
export function showValue(key: string, value: unknown, unitName: (id: number) => string): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'boolean') return value ? '是' : '否'
  if ((key === 'unitId' || key === 'responsibleUnitId' || key === 'parentId') && typeof value === 'number') {
    return unitName(value) || '（管理范围外的单位）'
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object')) return value.join('、') || '—'
    return `${value.length} 项`
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([k]) => FIELD_LABELS[k])
      .map(([k, v]) => `${FIELD_LABELS[k]}：${showValue(k, v, unitName)}`)
      .join('；')
  }
  return String(value)
}
