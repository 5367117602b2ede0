using IoTSec.Firmware.Host.Commands;

// iotsec-device: the firmware core as a simulated device (or a fleet of them) on the desktop.
return DeviceCommandLine.Build().Parse(args).Invoke();
