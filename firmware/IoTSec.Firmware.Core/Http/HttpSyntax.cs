namespace IoTSec.Firmware.Http
{
    /// <summary>Character classes of RFC 9110 §5.6 used to check what the client sends and parses.</summary>
    internal static class HttpSyntax
    {
        /// <summary>Whether <paramref name="text"/> is a non-empty token (tchar*).</summary>
        public static bool IsToken(string text)
        {
            if (text == null || text.Length == 0)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (!IsTokenChar(text[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>tchar of RFC 9110 §5.6.2.</summary>
        public static bool IsTokenChar(char c)
        {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            {
                return true;
            }

            return "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
        }

        /// <summary>Whether every character is visible ASCII (0x21-0x7E).</summary>
        public static bool IsVisibleAscii(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < 0x21 || text[i] > 0x7E)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Whether every character is visible ASCII, space or tab (a field value without obs-text).</summary>
        public static bool IsFieldValue(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c != ' ' && c != '\t' && (c < 0x21 || c > 0x7E))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
