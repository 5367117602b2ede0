using System.Device.Gpio;

namespace IoTSec.Gateway.Hardware;

/// <summary>Opening a line whether or not the controller has it open already.</summary>
internal static class GpioLines
{
    // A board abstraction (Iot.Device.Bindings' VirtualGpioController, a board's pin
    // multiplexer) may hand out lines that are open from the start and refuses to open them
    // again; then only the mode is set.
    public static void Open(GpioController controller, int pin, PinMode mode)
    {
        if (controller.IsPinOpen(pin))
        {
            controller.SetPinMode(pin, mode);
        }
        else
        {
            controller.OpenPin(pin, mode);
        }
    }
}
