import { defineStore } from 'pinia';
import { ref } from 'vue';
import { authApi } from '../api/endpoints';
import { ApiError } from '../api/client';
import type { SessionPending, User } from '../api/types';

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  /** Signing in is finished only when nothing is pending: a second factor, then a required new password. */
  const pending = ref<SessionPending>(null);
  const mustChangePassword = ref(false);
  /** Whether the session probe has run (so the router guard does not ask twice). */
  const checked = ref(false);

  async function probe(): Promise<User | null> {
    if (checked.value) return user.value;
    try {
      const me = await authApi.me();
      user.value = me.user;
      pending.value = me.pending;
      mustChangePassword.value = me.mustChangePassword;
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
    pending.value = res.pending;
    mustChangePassword.value = res.mustChangePassword;
    checked.value = true;
    return res.user;
  }

  /** Reads the session again after a sign-in step (second factor, new password). */
  async function refresh(): Promise<User | null> {
    checked.value = false;
    return probe();
  }

  /** Whether the session may use the app, or still has a sign-in step to take. */
  const signedIn = () => Boolean(user.value) && !pending.value && !mustChangePassword.value;

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  function clear(): void {
    user.value = null;
    pending.value = null;
    mustChangePassword.value = false;
    checked.value = true;
  }

  return { user, pending, mustChangePassword, checked, probe, refresh, signedIn, login, logout, clear };
});
