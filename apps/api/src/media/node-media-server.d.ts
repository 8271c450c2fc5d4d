/** The parts of node-media-server 4 (plain JavaScript) that the embedded media server uses. */
declare module 'node-media-server' {
  import type { NmsSession } from 'node-media-server/src/core/context.js';
  export default class NodeMediaServer {
    constructor(config: Record<string, unknown>, configPath?: string);
    on(
      event: 'prePublish' | 'postPublish' | 'donePublish' | 'prePlay' | 'donePlay',
      listener: (s: NmsSession) => void,
    ): void;
    run(): Promise<void>;
    stop(): Promise<void>;
  }
}

declare module 'node-media-server/src/core/context.js' {
  export interface NmsSession {
    id: string;
    ip: string;
    protocol: string;
    streamApp: string;
    streamName: string;
    streamPath: string;
    streamQuery: Record<string, string | undefined> | null;
    inBytes: number;
    endTime: number;
    videoCodec: number;
    videoWidth: number;
    videoHeight: number;
    videoFramerate: number;
    close(): void;
  }
  export interface NmsBroadcast {
    publisher: NmsSession | null;
    flvVideoHeader: Buffer | null;
    flvAudioHeader: Buffer | null;
  }
  const Context: {
    broadcasts: Map<string, NmsBroadcast>;
    sessions: Map<string, NmsSession>;
  };
  export default Context;
}

declare module 'node-media-server/src/core/logger.js' {
  const logger: { level: string };
  export default logger;
}

declare module 'node-media-server/src/session/flv_session.js' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { NmsSession } from 'node-media-server/src/core/context.js';
  export default class FlvSession {
    constructor(req: IncomingMessage, res: ServerResponse);
    id: string;
    run(): void;
  }
  export type { NmsSession };
}
