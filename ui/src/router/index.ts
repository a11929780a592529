import { createRouter, createWebHashHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/desk' },
    { path: '/desk', component: () => import('../views/desk-view.vue'), meta: { title: '工作台' } },
    { path: '/units', component: () => import('../views/unit-tree.vue'), meta: { title: '单位' } },
    { path: '/cadres', component: () => import('../views/cadre-list.vue'), meta: { title: '干部' } },
    { path: '/cadres/:id', component: () => import('../views/cadre-dossier.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/initiatives', component: () => import('../views/initiative-list.vue'), meta: { title: '干事事项' } },
    {
      path: '/initiatives/:id',
      component: () => import('../views/initiative-detail.vue'),
      props: (r) => ({ id: Number(r.params.id) }),
    },
    { path: '/appraisal', component: () => import('../views/appraisal-view.vue'), meta: { title: '年度考核' } },
    { path: '/promotion', component: () => import('../views/promotion-view.vue'), meta: { title: '干部任用' } },
    { path: '/audit', component: () => import('../views/audit-view.vue'), meta: { title: '审计日志' } },
    { path: '/exchange', component: () => import('../views/exchange-view.vue'), meta: { title: '数据交换' } },
    { path: '/import', component: () => import('../views/import-view.vue'), meta: { title: '导入' } },
    { path: '/users', component: () => import('../views/users-view.vue'), meta: { title: '用户与权限' } },
    { path: '/scheme', component: () => import('../views/scheme-view.vue'), meta: { title: '考核方案' } },
  ],
})
