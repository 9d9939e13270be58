// How a screen tells the user that the API refused something: the problem's own text (the API
// answers in the console's language), or a generic line when there is no problem body.
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { useI18n } from 'vue-i18n';
import { ApiProblem } from './api.js';

export function useProblems() {
  const { t } = useI18n();
  function report(failure) {
    const text = failure instanceof ApiProblem && failure.problem ? failure.message : t('problem.unexpected');
    ElMessage({ type: 'error', message: text, showClose: true });
    if (!(failure instanceof ApiProblem)) console.error(failure);
  }
  return { report };
}
