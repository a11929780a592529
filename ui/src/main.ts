import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { provideGlobalConfig } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
// Element Plus components come in per use (unplugin-vue-components in vite.config.ts),
// each with its own styles; the services called from scripts bring theirs here.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { vRole } from './utils/role'

const app = createApp(App).use(createPinia()).use(router).directive('role', vRole)
provideGlobalConfig({ locale: zhCn }, app, true)
app.mount('#app')
