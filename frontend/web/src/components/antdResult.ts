// The chunk LazyResult loads: only antd's Result.
export { Result } from 'antd';
