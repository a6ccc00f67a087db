import { describe, expect, it } from 'vitest';
import { BUILD_INSIDE, isInside, outDirPlan } from './out-dir';

describe('OUT_DIR', () => {
  const root = '/home/me/course';

  it('tells a folder inside the project from one beside it with the same prefix', () => {
    expect(isInside(root, './dist')).toBe(true);
    expect(isInside(root, '/home/me/course/dist-test')).toBe(true);
    expect(isInside(root, '/home/me/course')).toBe(true);
    expect(isInside(root, '/home/me/course-dist')).toBe(false);
    expect(isInside(root, '../course-dist')).toBe(false);
    expect(isInside(root, '/tmp/site')).toBe(false);
    expect(isInside(root, './dist/../../elsewhere')).toBe(false);
  });

  it('builds inside the project, and moves the result, only for a folder outside it', () => {
    expect(outDirPlan(root, './dist')).toEqual({ outDir: './dist', moveTo: null });
    expect(outDirPlan(root, '../course-dist')).toEqual({ outDir: `${root}/${BUILD_INSIDE}`, moveTo: '/home/me/course-dist' });
    expect(outDirPlan(root, '/tmp/site')).toEqual({ outDir: `${root}/${BUILD_INSIDE}`, moveTo: '/tmp/site' });
  });
});
