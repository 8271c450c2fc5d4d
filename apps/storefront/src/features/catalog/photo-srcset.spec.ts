import { photoSrcSet } from './ProductPage';

describe('photoSrcSet (the WebP pipeline: a thumbnail within 400 × 400 and the original)', () => {
  it('offers the thumbnail at its real width and the original, so a phone need not download 1600 px', () => {
    expect(photoSrcSet({ url: '/o.webp', thumbUrl: '/t.webp', width: 1600, height: 1200 })).toBe(
      '/t.webp 400w, /o.webp 1600w',
    );
    // Portrait: the thumbnail is 400 high, so narrower than 400.
    expect(photoSrcSet({ url: '/o.webp', thumbUrl: '/t.webp', width: 900, height: 1600 })).toBe(
      '/t.webp 225w, /o.webp 900w',
    );
  });

  it('offers only the original when it is no larger than the thumbnail', () => {
    expect(photoSrcSet({ url: '/o.webp', thumbUrl: '/t.webp', width: 320, height: 240 })).toBe('/o.webp 320w');
  });
});
