using System;
using System.Collections.Generic;
using System.Globalization;

namespace IoTSec.Firmware.Tests.Boards;

/// <summary>
/// What a chip family's pins are, from the datasheets: which names exist, and which can only
/// be inputs. The profiles name pins as the chip documents them (GPIO33, PC6).
/// </summary>
public static class ChipPins
{
    // ESP32 (ESP32 datasheet, "Pin Definitions"): GPIO 0-19, 21-23, 25-27 and 32-39 exist;
    // 20, 24 and 28-31 do not. 34-39 are input-only (no output driver).
    private static readonly HashSet<int> Esp32Gpios = BuildEsp32();

    /// <summary>Whether <paramref name="pin"/> names a pin of the <paramref name="family"/> chip.</summary>
    public static bool Exists(string family, string pin) => family switch
    {
        "esp32" => TryEsp32(pin, out int gpio) && Esp32Gpios.Contains(gpio),
        // STM32F769NI (TFBGA216): ports A to J have pins 0-15, port K has 0-7.
        "stm32f7" => TryStm32(pin, out char port, out int number) && number <= (port == 'K' ? 7 : 15),
        _ => false,
    };

    /// <summary>Whether the pin cannot drive an output (so it can never be a UART TX).</summary>
    public static bool IsInputOnly(string family, string pin) =>
        family == "esp32" && TryEsp32(pin, out int gpio) && gpio >= 34 && gpio <= 39;

    /// <summary>The ESP32 GPIO number of "GPIOn", or -1.</summary>
    public static int Esp32Number(string pin) => TryEsp32(pin, out int gpio) ? gpio : -1;

    private static bool TryEsp32(string pin, out int gpio)
    {
        gpio = -1;
        return pin.StartsWith("GPIO", StringComparison.Ordinal)
            && int.TryParse(pin.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out gpio);
    }

    private static bool TryStm32(string pin, out char port, out int number)
    {
        port = pin.Length >= 3 ? pin[1] : '\0';
        number = -1;
        return pin.Length >= 3 && pin[0] == 'P' && port >= 'A' && port <= 'K'
            && int.TryParse(pin.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private static HashSet<int> BuildEsp32()
    {
        var set = new HashSet<int>();
        for (int i = 0; i <= 39; i++)
        {
            if (i != 20 && i != 24 && (i < 28 || i > 31))
            {
                set.Add(i);
            }
        }

        return set;
    }
}
