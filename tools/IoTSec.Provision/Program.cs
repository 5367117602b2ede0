using System;
using IoTSec.Provision;

// iotsec-provision: serial provisioning for technicians and the factory line (docs/provisioning.md).
return ProvisionCommandLine.Run(args, ToolOutput.ForConsole(), Environment.GetEnvironmentVariable);
