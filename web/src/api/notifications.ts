import { api } from './client';
import type { Notification } from './types';

export const notificationApi = {
  /** Up to 500, newest first, with the unread count. */
  all: () => api.get<{ items: Notification[]; unread: number }>('/notifications', { limit: 500 }),
  readAll: () => api.post<{ marked: number }>('/notifications/read-all'),
  read: (id: number) => api.post<unknown>(`/notifications/${id}/read`),
};
