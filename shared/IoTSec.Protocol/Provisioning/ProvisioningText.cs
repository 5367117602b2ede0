namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// Character-set rules for the text fields of the provisioning payloads. ASCII only:
    /// these strings end up in logs, certificate requests, MQTT topics and policy files,
    /// where a control character or a look-alike Unicode letter would do harm.
    /// </summary>
    internal static class ProvisioningText
    {
        /// <summary>Checks a hardware id, board name or firmware version: 1 to 64 visible ASCII characters (0x21 to 0x7E, no space).</summary>
        /// <param name="value">The text (null refused).</param>
        /// <param name="field">The field, for the message.</param>
        internal static void CheckIdentifier(string value, string field)
        {
            if (value == null)
            {
                throw Refuse(ProvisioningPayloadError.OutOfRange, field, string.Empty, "is missing");
            }

            if (value.Length < 1 || value.Length > ProvisioningLimits.MaxIdentifierLength)
            {
                throw Refuse(ProvisioningPayloadError.OutOfRange, field, value, "must be 1 to " + ProvisioningLimits.MaxIdentifierLength.ToString() + " characters");
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < '!' || c > '~')
                {
                    throw Refuse(ProvisioningPayloadError.InvalidText, field, value, "must be visible ASCII characters (0x21 to 0x7E)");
                }
            }
        }

        /// <summary>
        /// Checks a device class name: 1 to 32 characters from a-z, 0-9, '-', '_', '.', starting
        /// with a letter or digit. Lower case only, because the gateway's policy files key
        /// their allowlists by class and "Sensor" and "sensor" must not be two classes.
        /// </summary>
        /// <param name="value">The text (null refused).</param>
        internal static void CheckDeviceClass(string value)
        {
            const string Field = "device class";
            if (value == null)
            {
                throw Refuse(ProvisioningPayloadError.OutOfRange, Field, string.Empty, "is missing");
            }

            if (value.Length < 1 || value.Length > ProvisioningLimits.MaxDeviceClassLength)
            {
                throw Refuse(ProvisioningPayloadError.OutOfRange, Field, value, "must be 1 to " + ProvisioningLimits.MaxDeviceClassLength.ToString() + " characters");
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.')))
                {
                    throw Refuse(ProvisioningPayloadError.InvalidText, Field, value, "must be a-z, 0-9, '-', '_' or '.', starting with a letter or digit");
                }
            }
        }

        /// <summary>
        /// Checks a gateway host: a DNS name or a dotted IPv4 address in the preferred name
        /// syntax of RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1 (labels of 1 to 63 letters,
        /// digits and hyphens, not starting or ending with a hyphen, separated by single dots,
        /// at most 253 characters, no trailing dot). IPv6 literals are not accepted: the
        /// device's TLS stack matches the certificate against a name.
        /// </summary>
        /// <param name="value">The text (null refused).</param>
        internal static void CheckHost(string value)
        {
            const string Field = "gateway host";
            if (value == null)
            {
                throw Refuse(ProvisioningPayloadError.OutOfRange, Field, string.Empty, "is missing");
            }

            if (value.Length < 1 || value.Length > ProvisioningLimits.MaxHostLength)
            {
                throw Refuse(ProvisioningPayloadError.OutOfRange, Field, value, "must be 1 to " + ProvisioningLimits.MaxHostLength.ToString() + " characters");
            }

            int labelStart = 0;
            for (int i = 0; i <= value.Length; i++)
            {
                if (i == value.Length || value[i] == '.')
                {
                    int labelLength = i - labelStart;
                    if (labelLength < 1 || labelLength > 63 || value[labelStart] == '-' || value[i - 1] == '-')
                    {
                        throw Refuse(ProvisioningPayloadError.InvalidText, Field, value, "must be dot-separated labels of 1 to 63 characters, not starting or ending with '-'");
                    }

                    labelStart = i + 1;
                    continue;
                }

                char c = value[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    throw Refuse(ProvisioningPayloadError.InvalidText, Field, value, "must be letters, digits, '-' and '.'");
                }
            }
        }

        /// <summary>Makes text safe to quote in a message: control and non-ASCII characters become '?', long text is cut.</summary>
        /// <param name="value">The text.</param>
        /// <param name="max">Longest output before the ellipsis.</param>
        /// <returns>The printable text.</returns>
        internal static string Printable(string value, int max)
        {
            if (value == null)
            {
                return "(null)";
            }

            int length = value.Length > max ? max : value.Length;
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                char c = value[i];
                chars[i] = c < ' ' || c > '~' ? '?' : c;
            }

            string printable = new string(chars);
            return value.Length > max ? printable + "..." : printable;
        }

        private static ProvisioningPayloadException Refuse(ProvisioningPayloadError reason, string field, string value, string rule)
        {
            return new ProvisioningPayloadException(reason, field + " \"" + Printable(value, 40) + "\" " + rule);
        }
    }
}
