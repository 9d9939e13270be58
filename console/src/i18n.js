import { createI18n } from 'vue-i18n';
import zhCN from './locales/zh-CN.js';
import en from './locales/en.js';

const STORED = 'civic.console.language';
export const languages = ['zh-CN', 'en'];

// Chinese first: zh-CN unless this browser chose English here before.
export const i18n = createI18n({
  legacy: false,
  locale: languages.includes(localStorage.getItem(STORED)) ? localStorage.getItem(STORED) : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function chooseLanguage(language) {
  i18n.global.locale.value = language;
  localStorage.setItem(STORED, language);
  document.documentElement.lang = language;
}
