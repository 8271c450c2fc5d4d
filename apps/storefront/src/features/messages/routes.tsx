import { Route } from 'react-router-dom';
import { lazyPage } from '../../app/lazy-page';

const MessagesPage = lazyPage(
  () => import('./MessagesPages'),
  (m) => m.MessagesPage,
  ['messages', 'orders'],
);
const ChatPage = lazyPage(
  () => import('./MessagesPages'),
  (m) => m.ChatPage,
  ['messages', 'orders'],
);
const ConsoleInboxPage = lazyPage(
  () => import('./ConsoleInboxPage'),
  (m) => m.ConsoleInboxPage,
  ['messages', 'orders'],
);

/** Owned by the messages (客服) feature: /messages, /messages/:id, /console/:coopId/messages[/:conversationId]. */
export const messageRoutes = [
  <Route key="messages-list" path="messages" element={<MessagesPage />} />,
  <Route key="messages-chat" path="messages/:id" element={<ChatPage />} />,
  <Route key="messages-console" path="console/:coopId/messages" element={<ConsoleInboxPage />} />,
  <Route key="messages-console-chat" path="console/:coopId/messages/:conversationId" element={<ConsoleInboxPage />} />,
];
