import { describe, expect, it } from 'vitest';
import { particle, withParticle } from '../../src/core/korean.js';

describe('Korean particles after a word', () => {
  it('follows the final consonant of a Hangul word', () => {
    expect(withParticle('서비스', '을/를')).toBe('서비스를');
    expect(withParticle('노드', '이/가')).toBe('노드가');
    expect(withParticle('인증서', '은/는')).toBe('인증서는');
    expect(withParticle('파일', '을/를')).toBe('파일을');
    expect(withParticle('파일', '으로/로')).toBe('파일로');
    expect(withParticle('경로', '으로/로')).toBe('경로로');
    expect(withParticle('컨텍스트', '과/와')).toBe('컨텍스트와');
    expect(withParticle('클러스터 이름', '이/가')).toBe('클러스터 이름이');
  });

  it('reads Latin names and numbers as Koreans say them', () => {
    expect(withParticle('expose-labs', '을/를')).toBe('expose-labs를');
    expect(withParticle('kubectl', '을/를')).toBe('kubectl을');
    expect(withParticle('kubectl', '으로/로')).toBe('kubectl로');
    expect(withParticle('niniz.com', '은/는')).toBe('niniz.com은');
    expect(withParticle('jordy-node-port-svc', '이/가')).toBe('jordy-node-port-svc가');
    expect(withParticle('/etc/hosts', '을/를')).toBe('/etc/hosts를');
    expect(withParticle('v1.36.1', '을/를')).toBe('v1.36.1을');
    expect(withParticle('443', '으로/로')).toBe('443으로');
    expect(withParticle('30000', '으로/로')).toBe('30000으로');
    expect(withParticle('80', '으로/로')).toBe('80으로');
    expect(withParticle('Ingress', '이/가')).toBe('Ingress가');
    expect(withParticle('jordy.niniz.com', '으로/로')).toBe('jordy.niniz.com으로');
    expect(withParticle('`kind`', '을/를')).toBe('`kind`를');
  });

  it('takes a port number as it is', () => {
    expect(withParticle(80, '이/가')).toBe('80이');
    expect(withParticle(30001, '으로/로')).toBe('30001로');
  });

  it('gives the particle alone for a text that puts an aside between word and particle', () => {
    expect(particle('jordy', '이/가')).toBe('가');
    expect(particle('niniz.com', '이/가')).toBe('이');
    expect(particle('kubectl', '으로/로')).toBe('로');
  });
});
