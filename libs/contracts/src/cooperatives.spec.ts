import { generateUscc } from '@xiangbo/domain';
import {
  cooperativeApplicationSchema,
  createInvitationSchema,
  formatLandMu,
  isoDateSchema,
  parseLandMu,
  updateCooperativeProfileSchema,
} from './cooperatives';

describe('cooperative contracts', () => {
  const application = {
    name: '金米村木耳专业合作社',
    uscc: generateUscc(7).toLowerCase(),
    province: '陕西省',
    city: '商洛市',
    county: '柞水县',
    township: '小岭镇',
    village: '金米村',
    contactName: '张建国',
    contactPhone: '0914-4321567',
  };

  it('normalises the USCC and strips fields an applicant must not set', () => {
    const parsed = cooperativeApplicationSchema.parse({ ...application, status: 'approved', applicantId: 'x' });
    expect(parsed.uscc).toBe(generateUscc(7));
    expect(parsed.story).toBe('');
    expect(parsed).not.toHaveProperty('status');
    expect(parsed).not.toHaveProperty('applicantId');
  });

  it('says which USCC problem it is', () => {
    const r = cooperativeApplicationSchema.safeParse({ ...application, uscc: '91350100M000100Y44' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['uscc'], params: { reason: 'checksum' } });
  });

  it('lets a cooperative change only story and contact', () => {
    expect(updateCooperativeProfileSchema.parse({ name: 'x', uscc: 'y', status: 'rejected', story: '新' })).toEqual({
      story: '新',
    });
  });

  it('normalises invitation identifiers', () => {
    expect(createInvitationSchema.parse({ identifier: ' Li.Mei@Example.COM ', role: 'host' }).identifier).toBe(
      'li.mei@example.com',
    );
    expect(createInvitationSchema.parse({ identifier: '138 0013-8000', role: 'host' }).identifier).toBe('13800138000');
    expect(createInvitationSchema.safeParse({ identifier: '1380013800', role: 'host' }).success).toBe(false);
  });

  it('accepts only real calendar dates', () => {
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true);
    expect(isoDateSchema.safeParse('2023-02-29').success).toBe(false);
    expect(isoDateSchema.safeParse('2024-1-1').success).toBe(false);
  });

  it('converts land between hundredths and a decimal string of mu without floats', () => {
    expect(formatLandMu(125)).toBe('1.25');
    expect(formatLandMu(150)).toBe('1.5');
    expect(formatLandMu(300)).toBe('3');
    expect(formatLandMu(7)).toBe('0.07');
    expect(parseLandMu('1.25')).toBe(125);
    expect(parseLandMu('1.5')).toBe(150);
    expect(parseLandMu(' 3 ')).toBe(300);
    expect(parseLandMu('0.07')).toBe(7);
    expect(parseLandMu('1.255')).toBeNull();
    expect(parseLandMu('-1')).toBeNull();
    expect(parseLandMu('')).toBeNull();
    for (const h of [0, 1, 10, 99, 100, 101, 12345]) expect(parseLandMu(formatLandMu(h))).toBe(h);
  });
});
