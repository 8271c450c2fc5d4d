import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { BrowserIngest } from './browser-ingest';
import { EmbeddedMediaServer } from './embedded-media-server';
import { MediaController, StreamSettingsController } from './media.controller';
import { VideoService } from './video.service';

/**
 * Live video: stream keys and the publish decision (VideoService), the embedded RTMP server with its ffmpeg
 * relays (HTTP-FLV + HLS + recording), the browser camera's WebSocket ingest into the same server (BrowserIngest),
 * playback routes and the console's stream panel. Video never goes through socket.io; the room only learns
 * whether the stream is on.
 */
@Module({
  imports: [LiveModule],
  controllers: [StreamSettingsController, MediaController],
  providers: [VideoService, EmbeddedMediaServer, BrowserIngest],
})
export class MediaModule {}
