import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { vRole } from './utils/role'

createApp(App).use(createPinia()).use(router).use(ElementPlus, { locale: zhCn }).directive('role', vRole).mount('#app')
