"""REST API of accounts: who the caller is and what their work covers."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import District
from accounts.scoping import work_district_ids
from lib.openapi import refusal


class DistrictOutput(serializers.Serializer):
    kato = serializers.CharField()
    name = serializers.CharField()


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    region_wide = serializers.BooleanField(help_text="True when the work covers every district of the region.")
    districts = DistrictOutput(many=True)


class MeView(APIView):
    @extend_schema(
        responses={
            200: MeOutput,
            # Only a session says who a person is: an API key names a system, and is not read here.
            403: refusal(
                "No session, or the second factor is not passed. An API key is no person: it gets 403 here too."
            ),
        },
        summary="The caller's role, organisation and districts",
    )
    def get(self, request):
        user = request.user
        district_ids = work_district_ids(user)
        districts = District.objects.for_user(user).order_by("kato")
        organisation = user.organisation
        data = {
            "username": user.get_username(),
            "role": user.role,
            "organisation": organisation.code if organisation else None,
            "region": organisation.region.kato if organisation and organisation.region_id else None,
            "region_wide": district_ids is None,
            "districts": [{"kato": d.kato, "name": d.name} for d in districts],
        }
        return Response(MeOutput(data).data)
