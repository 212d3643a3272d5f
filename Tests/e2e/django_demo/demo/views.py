from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from inventory.models import Item


def ping(request):
    return HttpResponse("ok")


@login_required
@require_POST
def create_item(request):
    item = Item.objects.create(name=request.POST["name"], price=request.POST["price"], vault_code=request.POST["vault_code"])
    return JsonResponse({"id": item.pk}, status=201)


@login_required
@require_POST
def item(request, pk):
    item = get_object_or_404(Item, pk=pk)
    if request.POST.get("delete"):
        item.delete()
        return HttpResponse(status=204)
    for field in ("name", "price", "vault_code"):
        if field in request.POST:
            setattr(item, field, request.POST[field])
    item.save()
    return JsonResponse({"id": item.pk})


@login_required
@require_POST
def change_password(request):
    request.user.set_password(request.POST["password"])
    request.user.save()
    return HttpResponse(status=204)


@login_required
def reports(request):
    if not request.user.is_superuser:
        raise PermissionDenied("reports are for administrators")
    return HttpResponse("reports")
