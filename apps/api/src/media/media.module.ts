import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { EmbeddedMediaServer } from './embedded-media-server';
import { MediaController, StreamSettingsController } from './media.controller';
import { VideoService } from './video.service';

/**
 * Live video: stream keys and the publish decision (VideoService), the embedded RTMP server with its ffmpeg
 * relays (HTTP-FLV + HLS + recording), playback routes and the console's stream panel. Video never goes
 * through socket.io; the room only learns whether the stream is on.
 */
@Module({
  imports: [LiveModule],
  controllers: [StreamSettingsController, MediaController],
  providers: [VideoService, EmbeddedMediaServer],
})
export class MediaModule {}
