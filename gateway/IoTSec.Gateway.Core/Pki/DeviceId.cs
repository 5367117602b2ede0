namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The device identifier carried as the CN of operational certificates and used as the MQTT
/// client id and inventory key: 1–64 characters of [A-Za-z0-9._-]. A narrow charset keeps the
/// id safe in topic names, file names, SQL and logs without escaping.
/// </summary>
public static class DeviceId
{
    /// <summary>Longest device id.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="value"/> is a well-formed device id.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
