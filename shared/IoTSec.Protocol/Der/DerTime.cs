using System;

namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// Decodes the two time types of an X.509 Validity in the single form each may take
    /// under RFC 5280 §4.1.2.5: UTCTime "YYMMDDHHMMSSZ" and GeneralizedTime
    /// "YYYYMMDDHHMMSSZ" — seconds always present, always 'Z' (UTC), never fractions.
    /// </summary>
    internal static class DerTime
    {
        /// <summary>
        /// Earliest year accepted. The nanoFramework DateTime starts at 1601-01-01; refusing
        /// earlier years everywhere keeps the device and the gateway in agreement. UTCTime
        /// cannot reach it; only a GeneralizedTime can, and no real certificate does.
        /// </summary>
        internal const int MinYear = 1601;

        /// <summary>Latest year the nanoFramework DateTime can hold (it ends 3000-12-31).</summary>
        internal const int NanoMaxYear = 3000;

        /// <summary>Decodes UTCTime content: exactly "YYMMDDHHMMSSZ".</summary>
        internal static DateTime DecodeUtcTime(byte[] buffer, int start, int length, int errorOffset)
        {
            if (length != 13)
            {
                throw new DerException(DerError.InvalidTime, errorOffset, "UTCTime must be YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1)");
            }

            int yy = TwoDigits(buffer, start, errorOffset);

            // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, YY < 50 is 20YY.
            int year = yy >= 50 ? 1900 + yy : 2000 + yy;
            return Decode(year, buffer, start + 2, errorOffset);
        }

        /// <summary>Decodes GeneralizedTime content: exactly "YYYYMMDDHHMMSSZ".</summary>
        /// <remarks>
        /// RFC 5280 says CAs use GeneralizedTime only from 2050 on; earlier years are still
        /// accepted here, as mbedTLS (the device's TLS stack) and .NET accept them, so the
        /// device never refuses a certificate its own TLS handshake would use.
        /// </remarks>
        internal static DateTime DecodeGeneralizedTime(byte[] buffer, int start, int length, int errorOffset)
        {
            if (length != 15)
            {
                throw new DerException(DerError.InvalidTime, errorOffset, "GeneralizedTime must be YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2)");
            }

            int year = (TwoDigits(buffer, start, errorOffset) * 100) + TwoDigits(buffer, start + 2, errorOffset);
            return Decode(year, buffer, start + 4, errorOffset);
        }

        /// <summary>Decodes "MMDDHHMMSSZ" after the year.</summary>
        private static DateTime Decode(int year, byte[] buffer, int p, int errorOffset)
        {
            int month = TwoDigits(buffer, p, errorOffset);
            int day = TwoDigits(buffer, p + 2, errorOffset);
            int hour = TwoDigits(buffer, p + 4, errorOffset);
            int minute = TwoDigits(buffer, p + 6, errorOffset);
            int second = TwoDigits(buffer, p + 8, errorOffset);
            if (buffer[p + 10] != (byte)'Z')
            {
                throw new DerException(DerError.InvalidTime, errorOffset, "time must end in 'Z' (RFC 5280 §4.1.2.5)");
            }

            if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month))
            {
                throw new DerException(DerError.InvalidTime, errorOffset, "no such date");
            }

            // Second 60 is refused too: RFC 5280 times carry no leap seconds and DateTime cannot hold one.
            if (hour > 23 || minute > 59 || second > 59)
            {
                throw new DerException(DerError.InvalidTime, errorOffset, "no such time of day");
            }

            if (year < MinYear)
            {
                throw new DerException(DerError.InvalidTime, errorOffset, "year before " + MinYear.ToString());
            }

#if NANOFRAMEWORK_1_0
            // The device's DateTime ends in 3000. A later notAfter (typically 9999-12-31,
            // "no well-defined expiration", RFC 5280 §4.1.2.5) means "never expires" there.
            if (year > NanoMaxYear)
            {
                return DateTime.MaxValue;
            }
#endif

            // Both runtimes have this constructor; the second step marks the value as UTC.
            var unspecified = new DateTime(year, month, day, hour, minute, second);
            return new DateTime(unspecified.Ticks, DateTimeKind.Utc);
        }

        private static int TwoDigits(byte[] buffer, int p, int errorOffset)
        {
            int high = buffer[p] - '0';
            int low = buffer[p + 1] - '0';
            if (high < 0 || high > 9 || low < 0 || low > 9)
            {
                throw new DerException(DerError.InvalidTime, errorOffset, "non-digit in a time");
            }

            return (high * 10) + low;
        }

        private static int DaysInMonth(int year, int month)
        {
            if (month == 2)
            {
                bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            }

            return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
        }
    }
}
