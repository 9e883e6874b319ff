import { defineStore } from 'pinia';
import { ref } from 'vue';
import { authApi } from '../api/endpoints';
import { ApiError } from '../api/client';
import type { User } from '../api/types';

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  /** Whether the session probe has run (so the router guard does not ask twice). */
  const checked = ref(false);

  async function probe(): Promise<User | null> {
    if (checked.value) return user.value;
    try {
      user.value = (await authApi.me()).user;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      user.value = null;
    }
    checked.value = true;
    return user.value;
  }

  async function login(username: string, password: string): Promise<User> {
    const res = await authApi.login(username, password);
    user.value = res.user;
    checked.value = true;
    return res.user;
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  function clear(): void {
    user.value = null;
    checked.value = true;
  }

  return { user, checked, probe, login, logout, clear };
});
