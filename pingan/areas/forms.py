from django import forms


class GridForm(forms.Form):
    name = forms.CharField(label="网格名称", max_length=60)
    population = forms.IntegerField(label="人口", min_value=0, required=False)


class PopulationForm(forms.Form):
    population = forms.IntegerField(label="人口", min_value=0, required=False)
    households = forms.IntegerField(label="户数", min_value=0, required=False)
