using IoTSec.Gateway;

// iotsec-gateway: `run` (the default) starts the daemon; the other verbs administer it.
return GatewayCommandLine.Build().Parse(args).Invoke();
