import { createApp } from 'vue';
import 'element-plus/theme-chalk/base.css';
import App from './App.vue';
import { router } from './router.js';
import { i18n } from './i18n.js';
import './console.css';

createApp(App).use(i18n).use(router).mount('#app');
