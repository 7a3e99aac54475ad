using Bulwark.Core.Reporting;

namespace Bulwark.Core.Tests.Reporting;

public class ReportTimeTests
{
    [Fact]
    public void Time_keeps_milliseconds()
    {
        Assert.Equal("2021-03-03T07:39:04.123Z", ReportTime.Format(new DateTimeOffset(2021, 3, 3, 7, 39, 4, 123, TimeSpan.Zero)));
    }

    [Fact]
    public void Time_drops_a_zero_fraction()
    {
        Assert.Equal("2021-03-03T07:39:04Z", ReportTime.Format(new DateTimeOffset(2021, 3, 3, 7, 39, 4, TimeSpan.Zero)));
    }

    [Fact]
    public void Time_keeps_sub_millisecond_precision()
    {
        var time = new DateTimeOffset(2021, 3, 3, 7, 39, 4, TimeSpan.Zero).AddTicks(1_234_567);

        Assert.Equal("2021-03-03T07:39:04.1234567Z", ReportTime.Format(time));
    }

    [Fact]
    public void Time_is_converted_to_utc()
    {
        var time = new DateTimeOffset(2021, 3, 3, 1, 0, 0, TimeSpan.FromHours(-5.5));

        Assert.Equal("2021-03-03T06:30:00Z", ReportTime.Format(time));
    }
}
