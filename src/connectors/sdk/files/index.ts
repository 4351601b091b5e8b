export type { Database, Store, Tx } from '../../../store/index.js';
export { FileErrors } from './errors.js';
export { normalizeFingerprint, sha256Fingerprint } from './fingerprint.js';
export { type InboundFile, InboundFilePoller, type InboundFilePollerOptions, type PollResult } from './inbound-poller.js';
export { LocalFileTransport } from './local.transport.js';
export {
  type FileSend,
  type OutboundDocument,
  OutboundFileSender,
  type OutboundFileSenderOptions,
  type SendResult,
} from './outbound-sender.js';
export { SftpTransport, type SftpTransportOptions } from './sftp.transport.js';
export { type FileReceiptTable, type FileSendTable, type FileTables, filesDb } from './tables.js';
export { baseName, dirName, type FileTransport, joinPath, type ReadOptions, type RemoteFile, readAll } from './transport.js';
