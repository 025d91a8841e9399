// The rates page's bar chart: each village's year-end installation rate and its change since the
// start of the year, from the JSON the page embeds (#rates-data). A static file: the CSP allows no
// inline script.
(function () {
  var holder = document.getElementById("chart-rates");
  var source = document.getElementById("rates-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
  var data = JSON.parse(source.textContent);
  var many = data.labels.length > 20;
  var chart = echarts.init(holder);
  chart.setOption({
    textStyle: {fontFamily: FONT},
    title: {text: "各村APP安装率（年末）及较年初变化", left: "center", textStyle: {fontSize: 14}},
    legend: {top: 34},
    tooltip: {trigger: "axis"},
    grid: {left: 8, right: 12, top: 80, bottom: many ? 48 : 8, containLabel: true},
    dataZoom: many ? [{type: "slider", start: 0, end: Math.min(100, 2000 / data.labels.length), height: 18, bottom: 6},
                      {type: "inside"}] : [],
    xAxis: {type: "category", data: data.labels, axisLabel: {interval: 0, rotate: 40, width: 84, overflow: "truncate"}},
    yAxis: [{type: "value", name: "%", nameGap: 10}],
    series: [
      {name: "年末安装率(%)", type: "bar", data: data.end, itemStyle: {color: "#1f4e79"}, barMaxWidth: 28},
      {name: "较年初变化(个百分点)", type: "bar", data: data.change, itemStyle: {color: "#2e7d32"}, barMaxWidth: 28}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
