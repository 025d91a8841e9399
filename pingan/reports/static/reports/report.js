// The report page (reports/report.html): copy the summary text; draw the chosen indicator by month
// and by township with ECharts. A static file, so the Content-Security-Policy needs no inline script.
document.getElementById("copy-summary").addEventListener("click", function () {
  var box = document.getElementById("summary-text"), status = document.getElementById("copy-status");
  function done() { status.textContent = "已复制到剪贴板"; }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(box.value).then(done);
  } else {
    box.select(); document.execCommand("copy"); done();
  }
});
if (document.getElementById("chart-indicator")) (function () {
  var FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
  var select = document.getElementById("chart-indicator");
  var monthChart = echarts.init(document.getElementById("chart-month"));
  var townChart = echarts.init(document.getElementById("chart-township"));
  function empty(chart, title, note) {
    chart.clear();
    chart.setOption({textStyle: {fontFamily: FONT}, title: {text: title, left: "center", textStyle: {fontSize: 14}},
      graphic: {type: "text", left: "center", top: "middle", style: {text: note, fill: "#888", fontSize: 14, fontFamily: FONT}}});
  }
  function draw(chart, kind, title, data, unit) {
    var color = kind === "month" ? "#1f4e79" : "#2e7d32";
    var points = data.values.map(function (v, i) {  // the "此前" bucket of a month chart is grey
      return /以前$/.test(data.labels[i]) ? {value: v, itemStyle: {color: "#9e9e9e"}} : v;
    });
    chart.clear();
    chart.setOption({
      textStyle: {fontFamily: FONT},
      title: {text: title, left: "center", textStyle: {fontSize: 14}},
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v + unit; }},
      grid: {left: 8, right: 12, top: 60, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: data.labels,
              axisLabel: {interval: 0, width: 84, overflow: "truncate",
                          rotate: kind === "township" || data.labels.length > 12 || chart.getWidth() < 560 ? 40 : 0}},
      yAxis: {type: "value", name: unit, nameGap: 10, minInterval: 1},
      series: [{name: title, type: "bar", data: points, barMaxWidth: 36, itemStyle: {color: color},
                label: {show: true, position: "top", formatter: function (p) { return p.value ? p.value : ""; }}}]
    });
  }
  function load() {
    var option = select.options[select.selectedIndex];
    fetch(option.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        if (s.by_month) { draw(monthChart, "month", s.name + " · 按月份（" + s.year + "年）", s.by_month, s.unit); }
        else { empty(monthChart, s.name + " · 按月份", "该指标没有时间维度"); }
        if (s.by_township && s.by_township.values.length) { draw(townChart, "township", s.name + " · 按乡镇(苏木)", s.by_township, s.unit); }
        else { empty(townChart, s.name + " · 按乡镇(苏木)", s.by_township ? "暂无数据" : "该指标不按乡镇统计"); }
      })
      .catch(function () { empty(monthChart, "图表", "图表数据加载失败"); empty(townChart, "图表", "图表数据加载失败"); });
  }
  select.addEventListener("change", load);
  window.addEventListener("resize", function () { monthChart.resize(); townChart.resize(); });
  load();
})();
