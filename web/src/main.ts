import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { ElMessage } from 'element-plus';
// Styles of the services called from script (components get theirs from the resolver).
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/notification/style/css';
import 'element-plus/es/components/loading/style/css';
import './styles.css';
import App from './App.vue';
import { router } from './router';
import { setUnauthenticatedHandler } from './api/client';
import { useSessionStore } from './stores/session';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(router);

setUnauthenticatedHandler(() => {
  useSessionStore(pinia).clear();
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.replace({ name: 'login', query: { redirect: current.fullPath } });
});

app.config.errorHandler = (err) => {
  // Never a blank page: unexpected errors are shown and logged, the layout stays.
  console.error(err);
  ElMessage.error(err instanceof Error ? err.message : '页面出错，请刷新后重试');
};

app.mount('#app');
