import { Command } from 'commander';
import { auditCommand } from './commands/audit.command.js';
import { availabilityCommand } from './commands/availability.command.js';
import { configCommand } from './commands/config.command.js';
import { dlqCommand } from './commands/dlq.command.js';
import { ediCommand } from './commands/edi.command.js';
import { eventsCommand } from './commands/events.command.js';
import { keysCommand } from './commands/keys.command.js';
import { partnersCommand } from './commands/partners.command.js';
import { schemasCommand } from './commands/schemas.command.js';
import { secretsCommand } from './commands/secrets.command.js';
import { startCommand } from './commands/start.command.js';
import { usersCommand } from './commands/users.command.js';
import { webhooksCommand } from './commands/webhooks.command.js';
import { packageVersion } from './runtime/hub.js';

const program = new Command()
  .name('crossdock')
  .description('crossdock: the integration hub for distribution companies')
  .version(packageVersion())
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) })
  .exitOverride((err) => {
    // Help and version exit 0; a usage error exits 2, as command-line tools do.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

startCommand(program);
availabilityCommand(program);
eventsCommand(program);
dlqCommand(program);
schemasCommand(program);
configCommand(program);
ediCommand(program);

keysCommand(program);
partnersCommand(program);
usersCommand(program);
auditCommand(program);
webhooksCommand(program);
secretsCommand(program);

await program.parseAsync(process.argv);
