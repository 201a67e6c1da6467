import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_STORAGE_KEY, deviceTokenFor, rememberDeviceToken } from './deviceTokens';

describe('device tokens', () => {
  afterEach(() => window.localStorage.clear());

  it('keeps one token per username in localStorage, across sessions', () => {
    rememberDeviceToken(' ChenJing ', 'device-1');
    rememberDeviceToken('zhang', 'device-2');
    rememberDeviceToken('chenjing', 'device-3');
    expect(deviceTokenFor('CHENJING')).toBe('device-3');
    expect(deviceTokenFor('zhang')).toBe('device-2');
    expect(deviceTokenFor('nobody')).toBeNull();
    expect(window.sessionStorage.getItem(DEVICE_STORAGE_KEY)).toBeNull();
  });

  it('keeps only the most recent accounts', () => {
    for (let i = 0; i < 7; i += 1) rememberDeviceToken(`user-${i}`, `device-${i}`);
    expect(deviceTokenFor('user-6')).toBe('device-6');
    expect(deviceTokenFor('user-1')).toBeNull();
  });

  it('ignores a malformed stored value and works without storage', () => {
    window.localStorage.setItem(DEVICE_STORAGE_KEY, 'not json');
    expect(deviceTokenFor('zhang')).toBeNull();
    rememberDeviceToken('zhang', 'device-1');
    expect(deviceTokenFor('zhang')).toBe('device-1');
    expect(deviceTokenFor('zhang', null)).toBeNull();
  });
});
