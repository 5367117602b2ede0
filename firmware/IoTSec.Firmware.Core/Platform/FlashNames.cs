namespace IoTSec.Firmware.Platform
{
    /// <summary>The rule for <see cref="IFlashStore"/> file names, shared by every implementation.</summary>
    public static class FlashNames
    {
        /// <summary>Longest name.</summary>
        public const int MaxLength = 32;

        /// <summary>Whether <paramref name="name"/> is 1 to 32 characters of <c>a-z 0-9 . _ -</c>, not starting with a dot.</summary>
        /// <param name="name">The candidate name.</param>
        /// <returns>True when valid.</returns>
        public static bool IsValid(string name)
        {
            if (name == null || name.Length == 0 || name.Length > MaxLength || name[0] == '.')
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
