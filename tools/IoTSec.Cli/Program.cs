using IoTSec.Cli;

// iotsec: operator tool (CA ceremony now; provisioning and releases in later issues).
return IotsecCommandLine.Build().Parse(args).Invoke();
