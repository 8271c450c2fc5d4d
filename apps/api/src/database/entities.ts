import { RateLimitBucket } from '../auth/entities/rate-limit-bucket.entity';
import { RefreshToken } from '../auth/entities/refresh-token.entity';
import { RoleAssignment } from '../users/role-assignment.entity';
import { User } from '../users/user.entity';

/** Every entity, for the Nest connection, the migration generator and the pending-migration check. */
export const ENTITIES = [User, RoleAssignment, RefreshToken, RateLimitBucket];
