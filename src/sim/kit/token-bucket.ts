// The bucket arithmetic lives in the kernel; simulators (which refuse) and connectors (which wait) share it.
export { TokenBucket, type TokenBucketOptions } from '../../kernel/index.js';
